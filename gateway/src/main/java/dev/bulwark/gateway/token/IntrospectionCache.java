package dev.bulwark.gateway.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import reactor.core.publisher.Mono;

/**
 * Introspection results, active and inactive, kept for at most the configured TTL and never past an
 * active token's {@code exp}: a revoked token stops working within the TTL. Keys are SHA-256 digests,
 * so the cache holds no usable token. Concurrent requests with one token share one introspection call;
 * failures are not cached.
 */
final class IntrospectionCache {

    private final AsyncCache<String, Introspection> cache;
    private final Function<String, Mono<Introspection>> introspection;
    private final Clock clock;

    IntrospectionCache(Function<String, Mono<Introspection>> introspection, Duration ttl, Ticker ticker, Clock clock) {
        this.introspection = introspection;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumSize(100_000)
                .expireAfter(new LifetimeExpiry(ttl, clock))
                .buildAsync();
    }

    Mono<Introspection> introspect(String token) {
        return Mono.fromFuture(() -> cache.get(digest(token),
                        (key, executor) -> introspection.apply(token).toFuture()), true)
                .map(result -> result.activeAt(clock.instant()) ? result : Introspection.INACTIVE);
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
