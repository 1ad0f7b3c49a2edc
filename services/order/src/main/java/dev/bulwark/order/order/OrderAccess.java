package dev.bulwark.order.order;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.bulwark.policy.PolicyDecision;
import dev.bulwark.policy.PolicyEngine;
import dev.bulwark.policy.PolicyRequest;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Asks the embedded policy engine (the same Cedar policies and entity data as the gateway) whether the
 * caller of the user-context JWT may act on one order. The owner comes from this service's database, so
 * ownership is decided here even for an order the gateway has no data about.
 */
@Component
class OrderAccess {

    private final PolicyEngine engine;
    private final Clock clock;

    OrderAccess(PolicyEngine engine) {
        this.engine = engine;
        this.clock = Clock.systemUTC();
    }

    /** {@code action}: {@link dev.bulwark.policy.Actions#READ} or {@link dev.bulwark.policy.Actions#CANCEL}. */
    PolicyDecision decide(Jwt caller, String action, Order order, HttpServletRequest http) {
        PolicyRequest.Principal principal = new PolicyRequest.Principal(caller.getSubject(), text(caller.getClaim("client_id")),
                words(caller.getClaim("scope")), strings(caller.getClaim("roles")));
        PolicyRequest.Resource resource = PolicyRequest.Resource.order(order.orderId(), order.customer());
        Map<String, Object> context = new HashMap<>();
        context.put("time", clock.instant().getEpochSecond());
        // the connection comes from the gateway; the end user's address is the gateway's to judge
        context.put("client_ip", http.getRemoteAddr());
        context.put("method", http.getMethod());
        context.put("path", http.getRequestURI());
        return engine.decide(new PolicyRequest(principal, action, resource, context));
    }

    private static String text(Object claim) {
        return claim instanceof String s ? s : "";
    }

    private static Set<String> words(Object claim) {
        if (claim instanceof String s && !s.isBlank()) {
            return new LinkedHashSet<>(List.of(s.trim().split("\\s+")));
        }
        return strings(claim);
    }

    private static Set<String> strings(Object claim) {
        Set<String> values = new LinkedHashSet<>();
        if (claim instanceof Collection<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(values::add);
        }
        return values;
    }
}
