package dev.bulwark.gateway.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

class TokenExchangeFilterTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
    private final GatewayFilterChain chain = exchange -> {
        forwarded.set(exchange);
        return Mono.empty();
    };

    private static MockServerWebExchange request(boolean authenticated) {
        MockServerWebExchange.Builder builder = MockServerWebExchange.builder(
                MockServerHttpRequest.post("/api/deliveries").header(HttpHeaders.AUTHORIZATION, "Bearer incoming"));
        if (authenticated) {
            Jwt jwt = Jwt.withTokenValue("incoming").header("alg", "ES256").subject("peter").build();
            builder.principal(new JwtAuthenticationToken(jwt, List.of(new SimpleGrantedAuthority("SCOPE_delivery:write"))));
        }
        return builder.build();
    }

    @Test
    void filterWhenExchangedThenOnlyTheExchangedTokenIsForwarded() {
        AtomicReference<String> subject = new AtomicReference<>();
        TokenExchangeFilter filter = new TokenExchangeFilter(token -> {
            subject.set(token);
            return Mono.just("exchanged");
        }, meters);

        filter.filter(request(true), chain).block();

        assertThat(subject.get()).isEqualTo("incoming");
        assertThat(forwarded.get().getRequest().getHeaders().get(HttpHeaders.AUTHORIZATION))
                .containsExactly("Bearer exchanged");
        assertThat(meters.counter(TokenExchangeFilter.EXCHANGES, "result", "ok").count()).isEqualTo(1);
    }

    @Test
    void filterWhenStsRefusedTheCallerThen401AndNothingForwarded() {
        MockServerWebExchange exchange = request(true);
        TokenExchangeFilter filter = new TokenExchangeFilter(token -> Mono.error(
                TokenExchangeFailure.fromSts(400, "invalid_grant", null)), meters);

        filter.filter(exchange, chain).block();

        assertThat(forwarded.get()).isNull();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
                .isEqualTo("Bearer error=\"invalid_token\"");
        assertThat(exchange.getResponse().getBodyAsString().block())
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401}");
        assertThat(meters.counter(TokenExchangeFilter.EXCHANGES, "result", "refused").count()).isEqualTo(1);
    }

    @Test
    void filterWhenExchangeFailsAnyOtherWayThen502AndNothingForwarded() {
        for (Mono<String> outcome : List.<Mono<String>>of(Mono.error(new IllegalStateException("boom")), Mono.empty(),
                Mono.error(TokenExchangeFailure.fromSts(400, "invalid_target", null)))) {
            MockServerWebExchange exchange = request(true);

            new TokenExchangeFilter(token -> outcome, meters).filter(exchange, chain).block();

            assertThat(forwarded.get()).isNull();
            assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
            assertThat(exchange.getResponse().getBodyAsString().block())
                    .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Bad Gateway\",\"status\":502}");
        }
        assertThat(meters.counter(TokenExchangeFilter.EXCHANGES, "result", "unavailable").count()).isEqualTo(3);
    }

    @Test
    void filterWhenNoAuthenticatedCallerThen401WithoutAskingTheSts() {
        MockServerWebExchange exchange = request(false);
        AtomicReference<String> asked = new AtomicReference<>();

        new TokenExchangeFilter(token -> {
            asked.set(token);
            return Mono.just("exchanged");
        }, meters).filter(exchange, chain).block();

        assertThat(asked.get()).isNull();
        assertThat(forwarded.get()).isNull();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }
}
