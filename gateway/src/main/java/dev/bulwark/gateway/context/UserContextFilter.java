package dev.bulwark.gateway.context;

import java.util.Optional;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Replaces the caller's access token with a user-context JWT for the route's audience. Without an
 * authenticated caller nothing is forwarded.
 */
public final class UserContextFilter implements GatewayFilter {

    private final UserContextSigner signer;
    private final String audience;

    public UserContextFilter(UserContextSigner signer, String audience) {
        this.signer = signer;
        this.audience = audience;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return exchange.getPrincipal()
                .filter(Authentication.class::isInstance)
                .cast(Authentication.class)
                .filter(Authentication::isAuthenticated)
                .map(auth -> Optional.of(signer.sign(CallerIdentity.from(auth), audience)))
                .defaultIfEmpty(Optional.empty())
                .flatMap(jwt -> {
                    if (jwt.isEmpty()) {
                        exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
                        return exchange.getResponse().setComplete();
                    }
                    return chain.filter(exchange.mutate()
                            .request(request -> request.headers(headers -> headers.setBearerAuth(jwt.get())))
                            .build());
                });
    }
}
