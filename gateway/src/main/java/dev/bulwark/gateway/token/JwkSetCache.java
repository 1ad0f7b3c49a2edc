package dev.bulwark.gateway.token;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The STS's JWK set, fetched without blocking, kept for {@link #MAX_AGE}, and fetched again when a
 * token names a key id we do not have (key rotation), at most once per {@link #MIN_REFRESH_INTERVAL}
 * so that tokens with made-up key ids cannot turn the gateway into a JWKS flooder. Fetch failures are
 * not cached and surface as a (non-"bad token") {@link JwtException}: the request fails closed.
 * Every fetch is counted as {@value #METRIC}{source=gateway, result=ok|failed}.
 */
final class JwkSetCache {

    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(5);

    /** JWK set fetches, shared name with security-kit's JWK sources ({@code source} tells them apart). */
    static final String METRIC = "bulwark.jwks.refreshes";

    private static final Logger log = LoggerFactory.getLogger(JwkSetCache.class);

    private final WebClient web;
    private final URI uri;
    private final Set<JWSAlgorithm> algorithms;
    private final Clock clock;
    private final Counter ok;
    private final Counter failed;
    private final AtomicReference<Mono<JWKSet>> current = new AtomicReference<>();
    private final AtomicReference<Instant> lastForcedRefresh = new AtomicReference<>(Instant.EPOCH);

    JwkSetCache(WebClient web, URI uri, Set<JWSAlgorithm> algorithms, Clock clock) {
        this(web, uri, algorithms, clock, new SimpleMeterRegistry());
    }

    JwkSetCache(WebClient web, URI uri, Set<JWSAlgorithm> algorithms, Clock clock, MeterRegistry meters) {
        this.ok = counter(meters, "ok");
        this.failed = counter(meters, "failed");
        this.web = web;
        this.uri = uri;
        this.algorithms = Set.copyOf(algorithms);
        this.clock = clock;
        this.current.set(newFetch());
    }

    Flux<JWK> keysFor(JWSHeader header) {
        if (!algorithms.contains(header.getAlgorithm())) {
            return Flux.empty();
        }
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
        Mono<JWKSet> seen = current.get();
        return seen.flatMapMany(set -> {
            List<JWK> keys = selector.select(set);
            if (!keys.isEmpty() || header.getKeyID() == null) {
                return Flux.fromIterable(keys);
            }
            return refresh(seen).flatMapIterable(selector::select);
        });
    }

    private Mono<JWKSet> refresh(Mono<JWKSet> seen) {
        Instant now = clock.instant();
        Instant last = lastForcedRefresh.get();
        if (now.isBefore(last.plus(MIN_REFRESH_INTERVAL)) || !lastForcedRefresh.compareAndSet(last, now)) {
            return current.get();
        }
        current.compareAndSet(seen, newFetch());
        return current.get();
    }

    private Mono<JWKSet> newFetch() {
        return web.get().uri(uri).accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(String.class)
                .map(JwkSetCache::parsePublic)
                .doOnNext(set -> {
                    ok.increment();
                    log.info("event=jwks_fetched keys={}", set.size());
                })
                .doOnError(e -> failed.increment())
                .onErrorMap(e -> !(e instanceof JwtException), e -> {
                    log.warn("event=jwks_unavailable error={}", e.getClass().getSimpleName());
                    return new JwtException("JWK set unavailable", e);
                })
                .cache(set -> MAX_AGE, error -> Duration.ZERO, () -> Duration.ZERO);
    }

    private static Counter counter(MeterRegistry meters, String result) {
        return Counter.builder(METRIC)
                .description("JWK set fetches from the STS (start, max age, unknown key id); failed ones fail requests closed")
                .tag("source", "gateway")
                .tag("result", result)
                .register(meters);
    }

    private static JWKSet parsePublic(String body) {
        try {
            return JWKSet.parse(body).toPublicJWKSet();
        } catch (ParseException e) {
            throw new JwtException("JWK set unreadable", e);
        }
    }
}
