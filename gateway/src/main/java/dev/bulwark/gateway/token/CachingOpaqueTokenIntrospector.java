package dev.bulwark.gateway.token;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import reactor.core.publisher.Mono;

/**
 * Opaque tokens: an inactive token is a bad token (401); an introspection that could not be made is
 * an {@link OAuth2IntrospectionException}, which Spring turns into a service failure (503), never a pass.
 */
final class CachingOpaqueTokenIntrospector implements ReactiveOpaqueTokenIntrospector {

    private final IntrospectionCache cache;
    private final String issuer;
    private final String audience;

    CachingOpaqueTokenIntrospector(IntrospectionCache cache, String issuer, String audience) {
        this.cache = cache;
        this.issuer = issuer;
        this.audience = audience;
    }

    @Override
    public Mono<OAuth2AuthenticatedPrincipal> introspect(String token) {
        return cache.introspect(token)
                .onErrorMap(e -> new OAuth2IntrospectionException("introspection unavailable", e))
                .flatMap(result -> {
                    if (!result.active()) {
                        return Mono.error(new BadOpaqueTokenException(FailureReason.INACTIVE.tag()));
                    }
                    // RFC 7662 §4: an active token is still only good for the audience it was issued for
                    if (!audiences(result.claims().get("aud")).contains(audience)) {
                        return Mono.error(new BadOpaqueTokenException(FailureReason.INVALID_AUDIENCE.tag()));
                    }
                    Object iss = result.claims().get("iss");
                    if (iss != null && !issuer.equals(String.valueOf(iss))) {
                        return Mono.error(new BadOpaqueTokenException(FailureReason.INVALID_ISSUER.tag()));
                    }
                    String name = result.subject() != null ? result.subject() : result.clientId();
                    if (name == null) {
                        return Mono.error(new BadOpaqueTokenException(FailureReason.INVALID.tag()));
                    }
                    Map<String, Object> attributes = new HashMap<>(result.claims());
                    attributes.put("scope", result.scopes());
                    List<GrantedAuthority> authorities = new ArrayList<>();
                    result.scopes().forEach(scope -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
                    return Mono.just(new OAuth2IntrospectionAuthenticatedPrincipal(name, attributes, authorities));
                });
    }

    private static List<String> audiences(Object aud) {
        if (aud instanceof String s) {
            return List.of(s);
        }
        if (aud instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
