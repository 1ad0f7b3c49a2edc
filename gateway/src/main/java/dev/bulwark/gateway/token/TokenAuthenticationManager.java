package dev.bulwark.gateway.token;

import java.time.Clock;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.bulwark.gateway.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenReactiveAuthenticationManager;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The authenticate stage: a JWT-shaped bearer token is verified locally, anything else is introspected.
 * Bad tokens end in {@link InvalidBearerTokenException} (401); an unreachable JWKS or introspection
 * endpoint ends in an {@code AuthenticationServiceException} (503). Nothing is ever waved through.
 */
public final class TokenAuthenticationManager implements ReactiveAuthenticationManager {

    private static final Logger log = LoggerFactory.getLogger(TokenAuthenticationManager.class);

    private final ReactiveAuthenticationManager jwt;
    private final ReactiveAuthenticationManager opaque;

    TokenAuthenticationManager(ReactiveAuthenticationManager jwt, ReactiveAuthenticationManager opaque) {
        this.jwt = jwt;
        this.opaque = opaque;
    }

    public static TokenAuthenticationManager create(GatewayProperties properties, WebClient web, Clock clock) {
        return create(properties, web, clock, new SimpleMeterRegistry());
    }

    /** As {@link #create(GatewayProperties, WebClient, Clock)}, counting JWKS refreshes and introspection cache lookups. */
    public static TokenAuthenticationManager create(GatewayProperties properties, WebClient web, Clock clock,
            MeterRegistry meters) {
        ReactiveJwtDecoder decoder = JwtDecoderFactory.create(properties, web, clock, meters);
        ReactiveAuthenticationManager opaque;
        if (properties.introspectionClientSecretFile() == null) {
            log.warn("event=introspection_disabled reason=no_client_secret_file effect=opaque_tokens_rejected");
            opaque = token -> Mono.error(new InvalidBearerTokenException(FailureReason.INVALID.tag()));
        } else {
            IntrospectionClient client = new IntrospectionClient(web, properties.introspectionUri(),
                    properties.introspectionClientId(), SecretFile.of(properties.introspectionClientSecretFile()));
            IntrospectionCache cache = new IntrospectionCache(client::introspect, properties.introspectionCacheTtl(),
                    Ticker.systemTicker(), clock, meters);
            opaque = new OpaqueTokenReactiveAuthenticationManager(new CachingOpaqueTokenIntrospector(cache, properties.issuer(), properties.audience()));
        }
        return new TokenAuthenticationManager(new JwtReactiveAuthenticationManager(decoder), opaque);
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
            return Mono.empty();
        }
        Mono<Authentication> result = BearerTokens.isJwtShaped(bearer.getToken())
                ? jwt.authenticate(bearer) : opaque.authenticate(bearer);
        // Anything that is not a verdict on the token (Spring wraps a JWKS failure in an
        // IllegalStateException) means the token could not be checked: refuse, as unavailable.
        return result.onErrorMap(e -> !(e instanceof AuthenticationException),
                e -> new AuthenticationServiceException("token verification unavailable", e));
    }
}
