package dev.bulwark.securitykit.throttle;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer of a {@link RateLimiter} for one request under one rule.
 *
 * @param outcome allowed, throttled, or unavailable (a shared backend failed and the failure mode
 *     is closed)
 * @param limit the announced quota ({@code RateLimit-Limit}): the smallest capacity of the rule
 * @param remaining tokens left after this request
 * @param retryAfter when a throttled client may retry (zero when allowed)
 * @param reset when the bucket is full again ({@code RateLimit-Reset})
 */
public record ThrottleDecision(Outcome outcome, long limit, long remaining, Duration retryAfter, Duration reset) {

    /** What happened to the request. */
    public enum Outcome { ALLOWED, THROTTLED, UNAVAILABLE }

    public ThrottleDecision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(reset, "reset");
    }

    /** The decision when the backend failed and the failure mode is closed: never let through. */
    public static ThrottleDecision unavailable(LimitSet limits) {
        return new ThrottleDecision(Outcome.UNAVAILABLE, limits.smallestCapacity(), 0, Duration.ofSeconds(1),
                Duration.ofSeconds(1));
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }

    /**
     * The response headers for this decision: {@code RateLimit-Limit}, {@code RateLimit-Remaining},
     * {@code RateLimit-Reset} (draft-ietf-httpapi-ratelimit-headers, delta-seconds) and, unless
     * allowed, {@code Retry-After} (RFC 9110 §10.2.3). Seconds are rounded up so a client that
     * waits as told is never early.
     */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Limit", Long.toString(limit));
        headers.put("RateLimit-Remaining", Long.toString(Math.max(0, remaining)));
        headers.put("RateLimit-Reset", Long.toString(ceilSeconds(reset)));
        if (!allowed()) {
            headers.put("Retry-After", Long.toString(Math.max(1, ceilSeconds(retryAfter))));
        }
        return headers;
    }

    static long ceilSeconds(Duration duration) {
        long nanos = Math.max(0, duration.toNanos());
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
