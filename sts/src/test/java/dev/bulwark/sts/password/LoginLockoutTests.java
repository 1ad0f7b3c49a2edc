package dev.bulwark.sts.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class LoginLockoutTests {

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final MutableClock clock = new MutableClock();
    private final LoginLockout lockout = new LoginLockout(5, Duration.ofMinutes(15), Duration.ofMinutes(15), clock);

    @Test
    void isLockedWhenFewerFailuresThanLimitThenNotLocked() {
        for (int i = 0; i < 4; i++) {
            assertThat(lockout.recordFailure("peter")).isFalse();
        }
        assertThat(lockout.isLocked("peter")).isFalse();
    }

    @Test
    void isLockedWhenLimitReachedWithinWindowThenLockedForDuration() {
        for (int i = 0; i < 4; i++) {
            lockout.recordFailure("peter");
        }
        assertThat(lockout.recordFailure("PETER")).isTrue();

        assertThat(lockout.isLocked("peter")).isTrue();
        clock.advance(Duration.ofMinutes(14));
        assertThat(lockout.isLocked("peter")).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(lockout.isLocked("peter")).isFalse();
    }

    @Test
    void isLockedWhenFailuresSpreadBeyondWindowThenNotLocked() {
        for (int i = 0; i < 4; i++) {
            lockout.recordFailure("peter");
        }
        clock.advance(Duration.ofMinutes(16));
        lockout.recordFailure("peter");

        assertThat(lockout.isLocked("peter")).isFalse();
    }

    @Test
    void recordSuccessWhenSomeFailuresThenCountRestarts() {
        for (int i = 0; i < 4; i++) {
            lockout.recordFailure("peter");
        }
        lockout.recordSuccess("peter");
        lockout.recordFailure("peter");

        assertThat(lockout.isLocked("peter")).isFalse();
    }

    @Test
    void isLockedWhenOtherUserLockedThenNotLocked() {
        for (int i = 0; i < 5; i++) {
            lockout.recordFailure("peter");
        }
        assertThat(lockout.isLocked("nuwan")).isFalse();
    }
}
