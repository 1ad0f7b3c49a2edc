package dev.bulwark.securitykit.throttle;

import io.github.bucket4j.TimeMeter;

/**
 * Takes one token from the bucket of a key. Implementations are thread-safe; a key's bucket is
 * created full on first use with the given limits, and a change of limits starts a new bucket.
 */
public interface RateLimiter extends AutoCloseable {

    /** Consumes one token for {@code key} under {@code limits}. Never throws for a backend failure. */
    ThrottleDecision tryConsume(String key, LimitSet limits);

    /** A short name for logs and metrics ({@code local}, {@code redis}). */
    String backend();

    @Override
    default void close() {
    }

    /** In-memory buckets for this process, at most about {@code maxKeys} idle keys kept. */
    static RateLimiter local() {
        return new LocalRateLimiter(TimeMeter.SYSTEM_NANOTIME, LocalRateLimiter.DEFAULT_MAX_KEYS);
    }

    /** In-memory buckets on the given clock (tests move time instead of sleeping). */
    static RateLimiter local(TimeMeter clock, int maxKeys) {
        return new LocalRateLimiter(clock, maxKeys);
    }
}
