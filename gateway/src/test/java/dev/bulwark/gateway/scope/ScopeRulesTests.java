package dev.bulwark.gateway.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

class ScopeRulesTests {

    private final ScopeRules rules = ScopeRules.orders();

    @Test
    void evaluateWhenGetWithReadScopeThenAllowed() {
        assertThat(rules.evaluate(HttpMethod.GET, "/api/orders/42", Set.of("orders:read")).outcome())
                .isEqualTo(ScopeRules.Outcome.ALLOW);
        assertThat(rules.evaluate(HttpMethod.GET, "/api/orders", Set.of("orders:read")).outcome())
                .isEqualTo(ScopeRules.Outcome.ALLOW);
    }

    @Test
    void evaluateWhenPostWithOnlyReadScopeThenDeniedNamingWriteScope() {
        ScopeRules.Verdict verdict = rules.evaluate(HttpMethod.POST, "/api/orders", Set.of("orders:read"));
        assertThat(verdict.outcome()).isEqualTo(ScopeRules.Outcome.DENY);
        assertThat(verdict.requiredScope()).isEqualTo("orders:write");
        assertThat(verdict.routeId()).isEqualTo("orders");
    }

    @Test
    void evaluateWhenPostWithWriteScopeThenAllowed() {
        assertThat(rules.evaluate(HttpMethod.POST, "/api/orders", Set.of("orders:write")).permitted()).isTrue();
    }

    @Test
    void evaluateWhenGetWithOnlyWriteScopeThenDenied() {
        assertThat(rules.evaluate(HttpMethod.GET, "/api/orders/1", Set.of("orders:write")).permitted()).isFalse();
    }

    @Test
    void evaluateWhenMethodNotListedThenDeniedWhateverTheScopes() {
        ScopeRules.Verdict verdict = rules.evaluate(HttpMethod.PUT, "/api/orders/1",
                Set.of("orders:read", "orders:write"));
        assertThat(verdict.outcome()).isEqualTo(ScopeRules.Outcome.DENY);
        assertThat(verdict.requiredScope()).isNull();
    }

    @Test
    void evaluateWhenDeleteThenTheWriteScopeIsNeeded() {
        assertThat(rules.evaluate(HttpMethod.DELETE, "/api/orders/1", Set.of("orders:read")).requiredScope())
                .isEqualTo("orders:write");
        assertThat(rules.evaluate(HttpMethod.DELETE, "/api/orders/1", Set.of("orders:read")).permitted()).isFalse();
        assertThat(rules.evaluate(HttpMethod.DELETE, "/api/orders/1", Set.of("orders:write")).permitted()).isTrue();
    }

    @Test
    void evaluateWhenPathNotRoutedThenUnrouted() {
        assertThat(rules.evaluate(HttpMethod.GET, "/api/ordersx", Set.of()).outcome())
                .isEqualTo(ScopeRules.Outcome.UNROUTED);
        assertThat(rules.evaluate(HttpMethod.GET, "/admin", Set.of()).permitted()).isTrue();
    }

    @Test
    void forRouteWhenConfiguredThenItsOwnScopesAndPrefix() {
        ScopeRules deliveries = ScopeRules.forRoute("deliveries", "/api/deliveries", "delivery:read", "delivery:write", null);
        assertThat(deliveries.evaluate(HttpMethod.GET, "/api/deliveries/d1", Set.of("delivery:read")).permitted()).isTrue();
        ScopeRules.Verdict post = deliveries.evaluate(HttpMethod.POST, "/api/deliveries", Set.of("orders:write"));
        assertThat(post.outcome()).isEqualTo(ScopeRules.Outcome.DENY);
        assertThat(post.requiredScope()).isEqualTo("delivery:write");
        assertThat(post.routeId()).isEqualTo("deliveries");
        assertThat(deliveries.evaluate(HttpMethod.GET, "/api/orders/1", Set.of()).outcome())
                .isEqualTo(ScopeRules.Outcome.UNROUTED);
    }
}
