package dev.bulwark.gateway.throttle;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.bulwark.securitykit.throttle.ClientIpResolver;
import dev.bulwark.securitykit.throttle.Throttle;
import dev.bulwark.securitykit.throttle.ThrottleDecision;
import dev.bulwark.securitykit.throttle.ThrottleResult;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The throttle stage: runs for routed requests only, after the security filter chain
 * (authentication, scopes, policy) and before every route filter (so a refused request costs no
 * token exchange and never reaches the upstream). Allowed responses carry the {@code RateLimit-*}
 * headers; refused ones are 429 (or 503 when the shared backend is down and the failure mode is
 * closed) with {@code Retry-After} and a fixed problem body.
 */
final class ThrottleFilter implements GlobalFilter, Ordered {

    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 500;

    private static final byte[] TOO_MANY = ("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
            + "\"detail\":\"rate limit exceeded\"}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] UNAVAILABLE = ("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
            + "\"detail\":\"rate limiting unavailable\"}").getBytes(StandardCharsets.UTF_8);

    private final Throttle throttle;
    private final ThrottleRules rules;
    private final ClientIpResolver clientIps;
    private final boolean blocking;

    /** @param blocking whether the limiter may block (Redis): then it runs off the event loop */
    ThrottleFilter(Throttle throttle, ThrottleRules rules, ClientIpResolver clientIps, boolean blocking) {
        this.throttle = throttle;
        this.rules = rules;
        this.clientIps = clientIps;
        this.blocking = blocking;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        String routeId = route == null ? "unknown" : route.getId();
        String method = exchange.getRequest().getMethod().name();
        String clientIp = clientIp(exchange);
        return exchange.getPrincipal()
                .filter(Authentication.class::isInstance)
                .cast(Authentication.class)
                .filter(Authentication::isAuthenticated)
                .map(auth -> List.of(Caller.from(auth, rules.tierClaim())))
                .defaultIfEmpty(List.of())
                .flatMap(callers -> decide(callers.isEmpty() ? null : callers.get(0), clientIp, routeId, method))
                .flatMap(result -> {
                    ServerHttpResponse response = exchange.getResponse();
                    response.getHeaders().setAll(result.headers());
                    if (result.allowed()) {
                        return chain.filter(exchange);
                    }
                    boolean unavailable = result.outcome() == ThrottleDecision.Outcome.UNAVAILABLE;
                    response.setStatusCode(unavailable ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.TOO_MANY_REQUESTS);
                    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
                    response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
                    byte[] body = unavailable ? UNAVAILABLE : TOO_MANY;
                    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
                });
    }

    private Mono<ThrottleResult> decide(@Nullable Caller caller, String clientIp, String routeId, String method) {
        Mono<ThrottleResult> decision = Mono.fromCallable(() -> throttle.check(rules.checks(caller, clientIp, routeId, method)));
        return blocking ? decision.subscribeOn(Schedulers.boundedElastic()) : decision;
    }

    private String clientIp(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote == null || remote.getAddress() == null) {
            return "unknown";
        }
        HttpHeaders headers = exchange.getRequest().getHeaders();
        return clientIps.resolve(remote.getAddress(), headers.getOrEmpty("Forwarded"), headers.getOrEmpty("X-Forwarded-For"));
    }
}
