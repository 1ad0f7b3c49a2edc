package dev.bulwark.securitykit.throttle;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.TimeMeter;

/** A clock the test moves, so windows pass without sleeping. */
final class FakeClock implements TimeMeter {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long currentTimeNanos() {
        return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }

    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
