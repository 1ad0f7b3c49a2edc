package dev.bulwark.sts.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import com.nimbusds.jwt.JWTParser;

import dev.bulwark.securitykit.throttle.ClientIpResolver;
import dev.bulwark.sts.exchange.DelegationGrants;
import dev.bulwark.sts.password.PasswordGrant;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Turns Spring Security's authentication events of the authorization server's endpoints into audit
 * lines on {@code bulwark.audit}:
 * <ul>
 *   <li>{@code event=token_issued grant=client_credentials client_id=.. sub=.. scope=a,b format=jwt
 *       refresh_token=false ip=..}
 *       for every grant (the subject read back from the JWT just signed, or from the stored authorization
 *       of a reference token);</li>
 *   <li>{@code event=login_success kind=user client_id=.. username=..} for the password grant;</li>
 *   <li>{@code event=login_failure kind=client client_id=.. method=.. reason=invalid_client ip=..}
 *       and {@code event=login_failure kind=user client_id=.. username=.. reason=invalid_grant ip=..};</li>
 *   <li>{@code event=token_refused grant=.. client_id=.. reason=..} for other refused grants (refresh
 *       tokens, authorization codes); delegation grants are audited by the exchange package
 *       ({@code event=token_exchange});</li>
 *   <li>{@code event=token_revoked client_id=.. sub=.. result=revoked|unknown_token ip=..} (RFC 7009
 *       answers 200 either way; the audit says which).</li>
 * </ul>
 * Values that come from the request are made printable ({@link AuditValues}), so a user name cannot
 * forge a second line.
 */
final class AuthenticationAudit {

    static final String LOGGER = "bulwark.audit";

    private static final Logger audit = LoggerFactory.getLogger(LOGGER);
    private static final Logger log = LoggerFactory.getLogger(AuthenticationAudit.class);
    private static final Set<String> KNOWN_GRANTS = Set.of("client_credentials", "refresh_token",
            "authorization_code", PasswordGrant.TYPE.getValue(), DelegationGrants.TOKEN_EXCHANGE.getValue(),
            DelegationGrants.JWT_BEARER.getValue());

    private final OAuth2AuthorizationService authorizations;
    private final ClientIpResolver ips;

    /** {@code ips}: the throttle's view of the client address, so audit and throttle name the same client. */
    AuthenticationAudit(OAuth2AuthorizationService authorizations, ClientIpResolver ips) {
        this.authorizations = authorizations;
        this.ips = ips;
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        try {
            switch (event.getAuthentication()) {
                case OAuth2AccessTokenAuthenticationToken issued -> tokenIssued(issued);
                case OAuth2TokenRevocationAuthenticationToken revocation -> tokenRevoked(revocation);
                default -> {
                    // client authentication, introspection: on every call, not security events by themselves
                }
            }
        } catch (RuntimeException e) {
            // the audit must not turn an issued token into an error response
            log.warn("event=audit_failed reason={}", e.getClass().getSimpleName());
        }
    }

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        try {
            failure(event.getAuthentication(), reason(event.getException()), currentRequest());
        } catch (RuntimeException e) {
            // the client must still get its OAuth error, not a 500 from the audit
            log.warn("event=audit_failed reason={}", e.getClass().getSimpleName());
        }
    }

    private void failure(Authentication attempt, String reason, @Nullable HttpServletRequest request) {
        switch (attempt) {
            case OAuth2ClientAuthenticationToken client -> audit.info(
                    "event=login_failure kind=client client_id={} method={} reason={} ip={}",
                    AuditValues.printable(client.getPrincipal()),
                    AuditValues.printable(client.getClientAuthenticationMethod().getValue()), reason, ip(request));
            case OAuth2AuthorizationGrantAuthenticationToken grant when isPassword(grant) -> audit.info(
                    "event=login_failure kind=user client_id={} username={} reason={} ip={}", clientId(grant),
                    AuditValues.printable(request != null ? request.getParameter("username") : null), reason,
                    ip(request));
            case OAuth2AuthorizationGrantAuthenticationToken grant when isDelegation(grant) -> {
                // already audited with its audience and subject as event=token_exchange
            }
            case OAuth2AuthorizationGrantAuthenticationToken grant -> audit.info(
                    "event=token_refused grant={} client_id={} reason={} ip={}", grant(grant.getGrantType().getValue()),
                    clientId(grant), reason, ip(request));
            default -> audit.info("event=auth_failure kind={} reason={} ip={}", attempt.getClass().getSimpleName(),
                    reason, ip(request));
        }
    }

    private void tokenIssued(OAuth2AccessTokenAuthenticationToken issued) {
        @Nullable HttpServletRequest request = currentRequest();
        String grant = grant(request != null ? request.getParameter("grant_type") : null);
        String clientId = AuditValues.printable(issued.getRegisteredClient().getClientId());
        OAuth2AccessToken token = issued.getAccessToken();
        boolean jwt = isJwt(token.getTokenValue());
        String sub = AuditValues.printable(
                jwt ? jwtSubject(token.getTokenValue()) : storedSubject(token.getTokenValue()));
        audit.info("event=token_issued grant={} client_id={} sub={} scope={} format={} refresh_token={} ip={}", grant,
                clientId, sub, AuditValues.printable(String.join(",", new TreeSet<>(token.getScopes()))),
                jwt ? "jwt" : "reference", issued.getRefreshToken() != null, ip(request));
        if (PasswordGrant.TYPE.getValue().equals(grant)) {
            audit.info("event=login_success kind=user client_id={} username={} ip={}", clientId, sub, ip(request));
        }
    }

    private void tokenRevoked(OAuth2TokenRevocationAuthenticationToken revocation) {
        // the provider answers an unknown token with the (unauthenticated) request itself
        boolean revoked = revocation.isAuthenticated();
        String sub = "-";
        if (revoked) {
            OAuth2Authorization authorization = authorizations.findByToken(revocation.getToken(), null);
            sub = AuditValues.printable(authorization != null ? authorization.getPrincipalName() : null);
        }
        String clientId = revocation.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                && client.getRegisteredClient() != null ? client.getRegisteredClient().getClientId() : null;
        audit.info("event=token_revoked client_id={} sub={} result={} ip={}", AuditValues.printable(clientId), sub,
                revoked ? "revoked" : "unknown_token", ip(currentRequest()));
    }

    private static boolean isPassword(OAuth2AuthorizationGrantAuthenticationToken grant) {
        return PasswordGrant.TYPE.equals(grant.getGrantType());
    }

    private static boolean isDelegation(OAuth2AuthorizationGrantAuthenticationToken grant) {
        return DelegationGrants.TOKEN_EXCHANGE.equals(grant.getGrantType())
                || DelegationGrants.JWT_BEARER.equals(grant.getGrantType());
    }

    private static String clientId(OAuth2AuthorizationGrantAuthenticationToken grant) {
        Object principal = grant.getPrincipal();
        if (principal instanceof OAuth2ClientAuthenticationToken client && client.getRegisteredClient() != null) {
            return AuditValues.printable(client.getRegisteredClient().getClientId());
        }
        return principal instanceof Authentication a ? AuditValues.printable(a.getName()) : "-";
    }

    private static String grant(@Nullable String grantType) {
        return grantType == null ? "-" : KNOWN_GRANTS.contains(grantType) ? grantType : "other";
    }

    private static String reason(Exception failure) {
        return failure instanceof OAuth2AuthenticationException oauth
                ? AuditValues.printable(oauth.getError().getErrorCode())
                : failure.getClass().getSimpleName();
    }

    // a JWS compact serialization has exactly two dots; reference tokens are base64url without any
    private static boolean isJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    // the token was signed by this process a moment ago: its claims are read, not verified
    private static @Nullable String jwtSubject(String token) {
        try {
            return JWTParser.parse(token).getJWTClaimsSet().getSubject();
        } catch (ParseException e) {
            return null;
        }
    }

    // a store that fails now costs the line its subject, not the line
    private @Nullable String storedSubject(String token) {
        try {
            OAuth2Authorization authorization = authorizations.findByToken(token, OAuth2TokenType.ACCESS_TOKEN);
            return authorization != null ? authorization.getPrincipalName() : null;
        } catch (RuntimeException e) {
            log.warn("event=audit_subject_unavailable reason={}", e.getClass().getSimpleName());
            return null;
        }
    }

    private static @Nullable HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }

    private String ip(@Nullable HttpServletRequest request) {
        if (request == null) {
            return "-";
        }
        try {
            // the container gives the peer as an address literal: no DNS lookup happens here
            InetAddress peer = InetAddress.getByName(request.getRemoteAddr());
            return ips.resolve(peer, Collections.list(request.getHeaders("Forwarded")),
                    Collections.list(request.getHeaders("X-Forwarded-For")));
        } catch (UnknownHostException | RuntimeException e) {
            return AuditValues.printable(request.getRemoteAddr());
        }
    }
}
