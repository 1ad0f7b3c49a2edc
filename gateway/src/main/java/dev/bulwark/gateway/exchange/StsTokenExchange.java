package dev.bulwark.gateway.exchange;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import javax.net.ssl.SSLContext;

import dev.bulwark.gateway.GatewayProperties;
import dev.bulwark.securitykit.jwt.IssuedToken;
import dev.bulwark.securitykit.jwt.TokenClient;
import dev.bulwark.securitykit.jwt.TokenRequestException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@link UpstreamTokenExchange} through security-kit's {@link TokenClient}: RFC 8693 token exchange at
 * {@code token-exchange.token-uri} with {@code tls_client_auth} (the gateway's SVID), for
 * {@code token-exchange.audience} and {@code token-exchange.scopes}. The client caches an issued token per
 * subject identity (not per token bytes) until shortly before it expires. The blocking call runs on
 * Reactor's bounded-elastic scheduler, bounded by {@link #TIMEOUT}. Cache lookups are counted as
 * {@code bulwark_token_exchange_cache_total{result=hit|miss}}.
 */
public final class StsTokenExchange implements UpstreamTokenExchange {

    private static final Logger log = LoggerFactory.getLogger(StsTokenExchange.class);

    /** Connect and request timeout of one STS call. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);
    /** The whole exchange, waiting for a bounded-elastic thread included. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** {@code bulwark_token_exchange_cache_total{result=hit|miss}}, as the order service names it. */
    static final String CACHE = "bulwark.token.exchange.cache";

    /** The blocking exchange call: subject token → issued token, or {@link TokenRequestException}. */
    @FunctionalInterface
    interface Call {
        IssuedToken exchange(String subjectToken);
    }

    private final Call call;

    StsTokenExchange(Call call) {
        this.call = Objects.requireNonNull(call, "call");
    }

    /** A client for {@code settings} over {@code tls} (the gateway's SVID, expecting the STS's SPIFFE ID). */
    public static StsTokenExchange create(GatewayProperties.TokenExchange settings, SSLContext tls, MeterRegistry meters) {
        TokenClient client = TokenClient.builder(settings.requiredTokenUri(), settings.clientId(), tls)
                .timeout(CLIENT_TIMEOUT)
                .build();
        FunctionCounter.builder(CACHE, client, TokenClient::cacheHits).tag("result", "hit")
                .description("token exchanges answered from the cache").register(meters);
        FunctionCounter.builder(CACHE, client, TokenClient::cacheMisses).tag("result", "miss")
                .description("token exchanges sent to the STS").register(meters);
        log.info("event=upstream_credential mode=token-exchange token_uri={} client_id={} audience={} scopes={}",
                settings.requiredTokenUri(), settings.clientId(), settings.audience(), settings.scopes());
        String audience = settings.audience();
        Set<String> scopes = new LinkedHashSet<>(settings.scopes());
        return new StsTokenExchange(subjectToken -> client.exchange(subjectToken, audience, scopes));
    }

    @Override
    public Mono<String> exchange(String subjectToken) {
        return Mono.fromCallable(() -> call.exchange(subjectToken).accessToken())
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(TIMEOUT)
                .onErrorMap(e -> !(e instanceof TokenExchangeFailure), StsTokenExchange::failure);
    }

    static TokenExchangeFailure failure(Throwable e) {
        if (e instanceof TokenRequestException refused && refused.status() != 0) {
            return TokenExchangeFailure.fromSts(refused.status(), refused.error(), e);
        }
        return TokenExchangeFailure.unreachable(e);
    }
}
