package dev.bulwark.gateway.headers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Removes identity headers a client could forge before anything is routed: upstream services learn
 * who called only from the user-context JWT the gateway signs.
 */
public final class IdentityHeaders implements GlobalFilter, Ordered {

    static final Set<String> FORGEABLE = Set.of("x-user", "x-user-id", "x-user-context", "x-forwarded-user",
            "x-remote-user", "x-authenticated-user");
    static final String BULWARK_PREFIX = "x-bulwark-";

    public static boolean isForgeable(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return FORGEABLE.contains(lower) || lower.startsWith(BULWARK_PREFIX);
    }

    /** Strips the forgeable headers in place; returns the names removed. */
    public static List<String> strip(HttpHeaders headers) {
        List<String> removed = new ArrayList<>();
        for (String name : List.copyOf(headers.headerNames())) {
            if (isForgeable(name)) {
                headers.remove(name);
                removed.add(name);
            }
        }
        return removed;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        boolean present = exchange.getRequest().getHeaders().headerNames().stream().anyMatch(IdentityHeaders::isForgeable);
        if (!present) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(r -> r.headers(IdentityHeaders::strip)).build());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
