package dev.bulwark.securitykit.throttle;

import java.util.Locale;

/** What a shared backend does when it cannot answer. */
public enum FailureMode {
    /** Fall back to this instance's local buckets: availability first, limits per instance meanwhile. */
    OPEN,
    /** Refuse the request ({@link ThrottleDecision.Outcome#UNAVAILABLE}): the limit is never exceeded. */
    CLOSED;

    /** Parses {@code open} or {@code closed}, naming the bad value. */
    public static FailureMode parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "open" -> OPEN;
            case "closed" -> CLOSED;
            default -> throw new IllegalArgumentException("failure-mode: '" + value + "' (expected: open or closed)");
        };
    }
}
