package dev.bulwark.sts.exchange;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

/**
 * RFC 7523 §3 item 7: remembers each assertion's {@code (iss, jti)} until the assertion expires, so
 * it is accepted once. In memory, per instance (several STS instances would each accept it once).
 * Bounded: when full of unexpired entries it refuses new assertions rather than forgetting old ones.
 */
final class ReplayCache {

    private final ConcurrentMap<String, Instant> seen = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maximumSize;

    ReplayCache(Clock clock, int maximumSize) {
        this.clock = clock;
        this.maximumSize = maximumSize;
    }

    /** Records the assertion, or throws {@code invalid_grant} if it was seen before (or the cache is full). */
    void firstUse(String issuer, String jti, Instant expiresAt) {
        Instant now = clock.instant();
        if (seen.size() >= maximumSize) {
            seen.values().removeIf(until -> until.isBefore(now));
            if (seen.size() >= maximumSize) {
                throw new GrantRefusedException(OAuth2ErrorCodes.INVALID_GRANT, "replay_cache_full");
            }
        }
        String key = issuer + '\u0000' + jti;
        Instant until = expiresAt.plus(SubjectTokenVerifier.SKEW);
        boolean[] fresh = {false};
        seen.compute(key, (k, previous) -> {
            if (previous != null && !previous.isBefore(now)) {
                return previous;
            }
            fresh[0] = true;
            return until;
        });
        if (!fresh[0]) {
            throw new GrantRefusedException(OAuth2ErrorCodes.INVALID_GRANT, "replayed_jti");
        }
    }

    int size() {
        return seen.size();
    }
}
