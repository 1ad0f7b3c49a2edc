package dev.bulwark.gateway.exchange;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code upstream-credential=token-exchange}: replaces the caller's (already validated) bearer token with
 * the token the STS issues for the upstream, so the caller's token never leaves the gateway. When no
 * token can be had nothing is forwarded: 401 {@code invalid_token} when the STS refused the caller's
 * token ({@code invalid_grant}), 403 {@code insufficient_scope} when it could grant no scope, 502
 * otherwise; each with a fixed problem body. Counted as {@code bulwark.gateway.token.exchanges{result}}
 * and logged {@code event=token_exchange result=.. error=..} (never a token).
 */
public final class TokenExchangeFilter implements GatewayFilter {

    static final String EXCHANGES = "bulwark.gateway.token.exchanges";

    private static final Logger log = LoggerFactory.getLogger(TokenExchangeFilter.class);

    private final UpstreamTokenExchange exchanger;
    private final MeterRegistry meters;

    public TokenExchangeFilter(UpstreamTokenExchange exchanger, MeterRegistry meters) {
        this.exchanger = Objects.requireNonNull(exchanger, "exchanger");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return exchange.getPrincipal()
                .filter(AbstractOAuth2TokenAuthenticationToken.class::isInstance)
                .cast(AbstractOAuth2TokenAuthenticationToken.class)
                .filter(Authentication::isAuthenticated)
                .map(auth -> auth.getToken().getTokenValue())
                .flatMap(token -> exchanger.exchange(token)
                        .switchIfEmpty(Mono.error(() -> new TokenExchangeFailure(TokenExchangeFailure.Kind.UNAVAILABLE,
                                "none", "token exchange gave no token", null)))
                        .map(Exchanged::new)
                        .onErrorResume(e -> Mono.just(new Exchanged(failure(e)))))
                .defaultIfEmpty(new Exchanged(new TokenExchangeFailure(TokenExchangeFailure.Kind.REFUSED,
                        "no_caller", "no authenticated caller with a bearer token", null)))
                .flatMap(result -> {
                    TokenExchangeFailure failure = result.failure();
                    if (failure != null) {
                        return refuse(exchange, failure);
                    }
                    meters.counter(EXCHANGES, "result", "ok").increment();
                    String upstreamToken = Objects.requireNonNull(result.token());
                    return chain.filter(exchange.mutate()
                            .request(request -> request.headers(headers -> headers.setBearerAuth(upstreamToken)))
                            .build());
                });
    }

    private static TokenExchangeFailure failure(Throwable e) {
        return e instanceof TokenExchangeFailure f ? f : TokenExchangeFailure.unreachable(e);
    }

    private Mono<Void> refuse(ServerWebExchange exchange, TokenExchangeFailure failure) {
        meters.counter(EXCHANGES, "result", failure.kind().tag()).increment();
        log.warn("event=token_exchange result={} error={} method={} upstream_path={}", failure.kind().tag(),
                failure.error(), exchange.getRequest().getMethod(), exchange.getRequest().getPath().value());
        return switch (failure.kind()) {
            case REFUSED -> write(exchange.getResponse(), HttpStatus.UNAUTHORIZED, "Bearer error=\"invalid_token\"");
            case INSUFFICIENT_SCOPE -> write(exchange.getResponse(), HttpStatus.FORBIDDEN,
                    "Bearer error=\"insufficient_scope\"");
            case UNAVAILABLE -> write(exchange.getResponse(), HttpStatus.BAD_GATEWAY, null);
        };
    }

    /** The same fixed RFC 9457 body as every other gateway error: type, title, status, nothing else. */
    static Mono<Void> write(ServerHttpResponse response, HttpStatus status, @Nullable String challenge) {
        if (response.isCommitted()) {
            return Mono.empty();
        }
        response.setStatusCode(status);
        if (challenge != null) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = ("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
                + status.value() + "}").getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private record Exchanged(@Nullable String token, @Nullable TokenExchangeFailure failure) {

        Exchanged(String token) {
            this(token, null);
        }

        Exchanged(TokenExchangeFailure failure) {
            this(null, failure);
        }
    }
}
