package dev.bulwark.securitykit.throttle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;

/**
 * The limits of one throttle rule, all enforced together (a burst limit AND a long-window quota):
 * {@code 10/PT1S,1000/PT1H} lets 10 requests through in a second but no more than 1000 an hour.
 * Parsing reports every bad entry at once.
 */
public record LimitSet(List<Limit> limits) {

    public LimitSet {
        limits = List.copyOf(Objects.requireNonNull(limits, "limits"));
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("limits: [] (expected: at least one <capacity>/<period>)");
        }
    }

    /** Parses a comma-separated list such as {@code 10/PT1S,1000/PT1H}. */
    public static LimitSet parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        return parse(List.of(spec.split(",", -1)));
    }

    /**
     * Parses limits given one per element (how Spring binds a YAML list); an element may itself hold
     * several comma-separated limits. All errors are collected into one exception.
     */
    public static LimitSet parse(Collection<String> specs) {
        Objects.requireNonNull(specs, "specs");
        List<Limit> limits = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String spec : specs) {
            for (String part : spec.split(",", -1)) {
                try {
                    limits.add(Limit.parse(part));
                } catch (IllegalArgumentException e) {
                    errors.add(e.getMessage());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new LimitSet(limits);
    }

    /** The smallest capacity, announced as {@code RateLimit-Limit}. */
    public long smallestCapacity() {
        return limits.stream().mapToLong(Limit::capacity).min().orElseThrow();
    }

    /** The longest period: a bucket untouched that long is full again, so forgetting it loses nothing. */
    public Duration longestPeriod() {
        return limits.stream().map(Limit::period).max(Comparator.naturalOrder()).orElseThrow();
    }

    BucketConfiguration toBucketConfiguration() {
        ConfigurationBuilder builder = BucketConfiguration.builder();
        for (Limit limit : limits) {
            builder.addLimit(Bandwidth.builder().capacity(limit.capacity())
                    .refillGreedy(limit.capacity(), limit.period()).build());
        }
        return builder.build();
    }

    @Override
    public String toString() {
        return limits.stream().map(Limit::toString).collect(Collectors.joining(","));
    }
}
