package dev.bulwark.gateway.throttle;

import java.util.Map;

import dev.bulwark.gateway.context.CallerIdentity;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The authenticated caller as the throttle sees it: subject, client and the tier its token names. */
record Caller(String subject, String clientId, @Nullable String tier) {

    static Caller from(Authentication authentication, String tierClaim) {
        CallerIdentity identity = CallerIdentity.from(authentication);
        return new Caller(identity.subject(), identity.clientId(), claim(authentication, tierClaim));
    }

    private static @Nullable String claim(Authentication authentication, String name) {
        Map<String, Object> claims = switch (authentication) {
            case JwtAuthenticationToken jwt -> jwt.getToken().getClaims();
            case BearerTokenAuthentication bearer -> bearer.getTokenAttributes();
            default -> Map.of();
        };
        return claims.get(name) instanceof String value && !value.isBlank() ? value : null;
    }
}
