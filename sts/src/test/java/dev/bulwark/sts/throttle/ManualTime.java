package dev.bulwark.sts.throttle;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.TimeMeter;

/** A clock the test moves: buckets refill exactly when the test says, without sleeping. */
public final class ManualTime implements TimeMeter {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long currentTimeNanos() {
        return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }

    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
