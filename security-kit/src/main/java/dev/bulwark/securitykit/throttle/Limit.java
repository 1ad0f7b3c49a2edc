package dev.bulwark.securitykit.throttle;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * One token-bucket bandwidth: at most {@code capacity} requests per {@code period}, refilled
 * gradually (greedy refill), so a client that waits gets tokens back before the whole period ends.
 * Written {@code <capacity>/<period>}, the period as an ISO-8601 duration ({@code PT1S},
 * {@code PT1H}) or a short form ({@code 1s}, {@code 5m}, {@code 1h}, {@code 1d}).
 */
public record Limit(long capacity, Duration period) {

    public Limit {
        if (capacity < 1) {
            throw new IllegalArgumentException("limit capacity: " + capacity + " (expected: at least 1)");
        }
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("limit period: " + period + " (expected: a positive duration)");
        }
    }

    /** Parses one {@code <capacity>/<period>} limit, naming the bad value and the expected form. */
    public static Limit parse(String text) {
        String value = text.strip();
        int slash = value.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(
                    "limit: '" + text + "' (expected: <capacity>/<period>, e.g. 10/PT1S or 1000/1h)");
        }
        long capacity;
        try {
            capacity = Long.parseLong(value.substring(0, slash).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "limit capacity: '" + value.substring(0, slash).strip() + "' in '" + text + "' (expected: a whole number >= 1)");
        }
        Duration period = parsePeriod(value.substring(slash + 1).strip(), text);
        try {
            return new Limit(capacity, period);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in '" + text + "'");
        }
    }

    private static Duration parsePeriod(String period, String text) {
        String lower = period.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("p")) {
                return Duration.parse(period.toUpperCase(Locale.ROOT));
            }
            if (lower.length() >= 2) {
                long amount = Long.parseLong(lower.substring(0, lower.length() - 1));
                switch (lower.charAt(lower.length() - 1)) {
                    case 's': return Duration.ofSeconds(amount);
                    case 'm': return Duration.ofMinutes(amount);
                    case 'h': return Duration.ofHours(amount);
                    case 'd': return Duration.ofDays(amount);
                    default: break;
                }
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException("limit period: '" + period + "' in '" + text
                + "' (expected: an ISO-8601 duration like PT1S or PT1H, or 1s, 5m, 1h, 1d)");
    }

    @Override
    public String toString() {
        return capacity + "/" + period;
    }
}
