package dev.bulwark.gateway.context;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Who called, as established at the edge: the subject, the OAuth client and the granted scopes. */
public record CallerIdentity(String subject, String clientId, List<String> scopes) {

    public CallerIdentity {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        scopes = List.copyOf(scopes);
    }

    /**
     * From a validated JWT ({@code sub}; {@code client_id}, else {@code azp}, else {@code sub}) or an
     * introspection result ({@code sub}, else {@code client_id}).
     */
    public static CallerIdentity from(Authentication authentication) {
        List<String> scopes = scopes(authentication.getAuthorities());
        if (authentication instanceof JwtAuthenticationToken jwt) {
            String subject = Objects.requireNonNull(jwt.getToken().getSubject(), "sub");
            return new CallerIdentity(subject, firstText(jwt.getToken().getClaimAsString("client_id"),
                    jwt.getToken().getClaimAsString("azp"), subject), scopes);
        }
        if (authentication instanceof BearerTokenAuthentication bearer
                && bearer.getPrincipal() instanceof OAuth2AuthenticatedPrincipal principal) {
            String clientId = principal.getAttribute("client_id") instanceof String s ? s : null;
            String subject = principal.getAttribute("sub") instanceof String s ? s : null;
            String who = firstText(subject, clientId, principal.getName());
            return new CallerIdentity(who, firstText(clientId, who), scopes);
        }
        throw new IllegalArgumentException("authentication: " + authentication.getClass().getSimpleName()
                + " (expected: JwtAuthenticationToken or BearerTokenAuthentication)");
    }

    private static List<String> scopes(Collection<? extends GrantedAuthority> authorities) {
        List<String> scopes = new ArrayList<>();
        for (GrantedAuthority authority : authorities) {
            String name = authority.getAuthority();
            if (name != null && name.startsWith("SCOPE_")) {
                scopes.add(name.substring("SCOPE_".length()));
            }
        }
        return scopes;
    }

    private static String firstText(@Nullable String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        throw new IllegalArgumentException("caller identity: no subject (expected: sub or client_id)");
    }
}
