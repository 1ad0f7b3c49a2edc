package dev.bulwark.order.security;

import dev.bulwark.securitykit.boot.jwt.EastWestResourceServer;
import dev.bulwark.securitykit.jwt.VerifiedCaller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records who called, for the audit log: once the gateway's user-context JWT is verified, the request
 * carries a {@link VerifiedCaller} (the user, the app's {@code client_id}, the scopes, and the gateway,
 * the mTLS peer, as the actor), which security-kit-boot's {@code AuditLogFilter} writes to
 * {@code bulwark.audit} with the response status, as inventory and delivery do for their callers.
 */
final class UserContextCaller extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token) {
            String scope = token.getToken().getClaimAsString("scope");
            request.setAttribute(EastWestResourceServer.CALLER_ATTRIBUTE, new VerifiedCaller(
                    token.getToken().getSubject(),
                    String.valueOf(token.getToken().getClaimAsString("iss")),
                    token.getToken().getClaimAsString("client_id"),
                    scope == null || scope.isBlank() ? Set.of() : Set.of(scope.trim().split("\\s+")),
                    EastWestResourceServer.peerSpiffeId(request).map(List::of).orElse(List.of()),
                    VerifiedCaller.Pattern.USER_CONTEXT));
        }
        chain.doFilter(request, response);
    }
}
