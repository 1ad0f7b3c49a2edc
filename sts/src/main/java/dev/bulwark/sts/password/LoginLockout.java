package dev.bulwark.sts.password;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Locks a user name for {@code lockDuration} after {@code maxFailures} failed logins within
 * {@code window}. Unknown user names are tracked too (so the response does not tell them apart), in a
 * bounded cache so that a flood of random names cannot exhaust memory.
 */
public final class LoginLockout {

    private record State(int failures, Instant windowStart, @Nullable Instant lockedUntil) {
    }

    private final int maxFailures;
    private final Duration window;
    private final Duration lockDuration;
    private final Clock clock;
    private final Cache<String, State> states;

    public LoginLockout(int maxFailures, Duration window, Duration lockDuration, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.lockDuration = lockDuration;
        this.clock = clock;
        this.states = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(window.compareTo(lockDuration) > 0 ? window : lockDuration).build();
    }

    /** Whether {@code username} is locked now. */
    public boolean isLocked(String username) {
        State s = states.getIfPresent(key(username));
        return s != null && s.lockedUntil() != null && clock.instant().isBefore(s.lockedUntil());
    }

    /** Records a failed login; returns true if this failure locked the user. */
    public boolean recordFailure(String username) {
        Instant now = clock.instant();
        State s = states.asMap().compute(key(username), (k, old) -> {
            if (old == null || !now.isBefore(old.windowStart().plus(window))
                    || (old.lockedUntil() != null && !now.isBefore(old.lockedUntil()))) {
                old = new State(0, now, null);
            }
            int failures = old.failures() + 1;
            Instant lockedUntil = old.lockedUntil() == null && failures >= maxFailures ? now.plus(lockDuration)
                    : old.lockedUntil();
            return new State(failures, old.windowStart(), lockedUntil);
        });
        return s.failures() == maxFailures && s.lockedUntil() != null;
    }

    /** Clears the failures of {@code username} after a successful login. */
    public void recordSuccess(String username) {
        states.invalidate(key(username));
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
