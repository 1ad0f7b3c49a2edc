package dev.bulwark.securitykit.throttle;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucketBuilder;

/**
 * Buckets in a map. A bucket idle for its longest period is full again, so it is dropped when the
 * map grows past {@code maxKeys} (one key per client address must not become a memory leak); only
 * if that is not enough are the least recently used buckets dropped.
 */
final class LocalRateLimiter implements RateLimiter {

    static final int DEFAULT_MAX_KEYS = 100_000;
    private static final long SWEEP_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final TimeMeter clock;
    private final int maxKeys;
    private final Map<String, Entry> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE);

    LocalRateLimiter(TimeMeter clock, int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys: " + maxKeys + " (expected: at least 1)");
        }
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    @Override
    public ThrottleDecision tryConsume(String key, LimitSet limits) {
        Entry entry = buckets.computeIfAbsent(key + '|' + limits, k -> new Entry(newBucket(limits), limits));
        entry.lastUsed = clock.currentTimeNanos();
        ConsumptionProbe probe = entry.bucket.tryConsumeAndReturnRemaining(1);
        if (buckets.size() > maxKeys) {
            sweep();
        }
        return toDecision(probe, limits);
    }

    private Bucket newBucket(LimitSet limits) {
        LocalBucketBuilder builder = Bucket.builder().withCustomTimePrecision(clock);
        for (Bandwidth bandwidth : limits.toBucketConfiguration().getBandwidths()) {
            builder.addLimit(bandwidth);
        }
        return builder.build();
    }

    static ThrottleDecision toDecision(ConsumptionProbe probe, LimitSet limits) {
        return new ThrottleDecision(
                probe.isConsumed() ? ThrottleDecision.Outcome.ALLOWED : ThrottleDecision.Outcome.THROTTLED,
                limits.smallestCapacity(), probe.getRemainingTokens(),
                probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill()),
                Duration.ofNanos(probe.getNanosToWaitForReset()));
    }

    int size() {
        return buckets.size();
    }

    private void sweep() {
        long now = clock.currentTimeNanos();
        long last = lastSweep.get();
        if (last != Long.MIN_VALUE && now - last < SWEEP_INTERVAL_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        buckets.entrySet().removeIf(e -> now - e.getValue().lastUsed >= e.getValue().limits.longestPeriod().toNanos());
        int excess = buckets.size() - maxKeys;
        if (excess > 0) {
            buckets.entrySet().stream().sorted(Comparator.comparingLong(e -> e.getValue().lastUsed)).limit(excess)
                    .map(Map.Entry::getKey).toList().forEach(buckets::remove);
        }
    }

    @Override
    public String backend() {
        return "local";
    }

    private static final class Entry {
        final Bucket bucket;
        final LimitSet limits;
        volatile long lastUsed;

        Entry(Bucket bucket, LimitSet limits) {
            this.bucket = bucket;
            this.limits = limits;
        }
    }
}
