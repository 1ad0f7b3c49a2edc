package dev.bulwark.gateway.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Mono;

/**
 * Introspection results, active and inactive, kept for at most the configured TTL and never past an
 * active token's {@code exp}: a revoked token stops working within the TTL. Keys are SHA-256 digests,
 * so the cache holds no usable token. Concurrent requests with one token share one introspection call;
 * failures are not cached. Lookups are counted as {@value #METRIC}{result=hit|miss}: a miss is a call
 * to the STS, so a falling hit ratio explains a rising introspection load.
 */
final class IntrospectionCache {

    static final String METRIC = "bulwark.gateway.introspection.cache";

    private final AsyncCache<String, Introspection> cache;
    private final Counter hits;
    private final Counter misses;
    private final Function<String, Mono<Introspection>> introspection;
    private final Clock clock;

    IntrospectionCache(Function<String, Mono<Introspection>> introspection, Duration ttl, Ticker ticker, Clock clock) {
        this(introspection, ttl, ticker, clock, new SimpleMeterRegistry());
    }

    IntrospectionCache(Function<String, Mono<Introspection>> introspection, Duration ttl, Ticker ticker, Clock clock,
            MeterRegistry meters) {
        this.introspection = introspection;
        this.hits = counter(meters, "hit");
        this.misses = counter(meters, "miss");
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumSize(100_000)
                .expireAfter(new LifetimeExpiry(ttl, clock))
                .buildAsync();
    }

    Mono<Introspection> introspect(String token) {
        return Mono.fromFuture(() -> {
                    AtomicBoolean loaded = new AtomicBoolean();
                    var result = cache.get(digest(token), (key, executor) -> {
                        loaded.set(true);
                        return introspection.apply(token).toFuture();
                    });
                    (loaded.get() ? misses : hits).increment();
                    return result;
                }, true)
                .map(result -> result.activeAt(clock.instant()) ? result : Introspection.INACTIVE);
    }

    private static Counter counter(MeterRegistry meters, String result) {
        return Counter.builder(METRIC)
                .description("Gateway introspection cache lookups; a miss is a call to the STS introspection endpoint")
                .tag("result", result)
                .register(meters);
    }

    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record LifetimeExpiry(Duration ttl, Clock clock) implements Expiry<String, Introspection> {

        @Override
        public long expireAfterCreate(String key, Introspection value, long currentTime) {
            Duration lifetime = ttl;
            Instant exp = value.expiresAt();
            if (value.active() && exp != null) {
                Duration untilExp = Duration.between(clock.instant(), exp);
                if (untilExp.compareTo(lifetime) < 0) {
                    lifetime = untilExp.isNegative() ? Duration.ZERO : untilExp;
                }
            }
            return lifetime.toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Introspection value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Introspection value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
