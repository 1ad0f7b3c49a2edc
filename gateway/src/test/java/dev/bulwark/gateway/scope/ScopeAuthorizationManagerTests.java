package dev.bulwark.gateway.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import reactor.core.publisher.Mono;

class ScopeAuthorizationManagerTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ScopeAuthorizationManager manager = new ScopeAuthorizationManager(ScopeRules.orders(), meters);

    @Test
    void authorizeWhenTokenLacksWriteScopeThenDeniedAndCountedByRouteAndScope() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/orders"));

        assertThat(decide(exchange, "orders:read").isGranted()).isFalse();
        assertThat(decide(exchange, "orders:read").isGranted()).isFalse();

        assertThat(meters.get(ScopeAuthorizationManager.DENIALS).tag("route", "orders").tag("scope", "orders:write")
                .counter().count()).isEqualTo(2);
        assertThat(exchange.<ScopeRules.Verdict>getAttribute(ScopeAuthorizationManager.DENIED_VERDICT)).isNotNull();
    }

    @Test
    void authorizeWhenScopePresentThenAllowedAndNothingCounted() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/orders/7"));

        assertThat(decide(exchange, "orders:read").isGranted()).isTrue();

        assertThat(meters.find(ScopeAuthorizationManager.DENIALS).counter()).isNull();
    }

    @Test
    void authorizeWhenPathOutsideEveryRouteThenLeftToRoutingAndNotCountedAsScopeDenial() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/elsewhere"));

        // no route, no scope to check: the gateway answers 404 after authorization
        assertThat(decide(exchange, "orders:read").isGranted()).isTrue();

        assertThat(meters.find(ScopeAuthorizationManager.DENIALS).counter()).isNull();
    }

    private AuthorizationResult decide(MockServerWebExchange exchange, String scope) {
        TestingAuthenticationToken token = new TestingAuthenticationToken("peter", "n/a",
                List.of(new SimpleGrantedAuthority("SCOPE_" + scope)));
        token.setAuthenticated(true);
        Mono<Authentication> authentication = Mono.just(token);
        return manager.authorize(authentication, new AuthorizationContext(exchange)).block();
    }
}
