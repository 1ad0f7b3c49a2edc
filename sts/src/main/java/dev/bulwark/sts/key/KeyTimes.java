package dev.bulwark.sts.key;

import java.time.Instant;
import java.util.Objects;

/**
 * The life of one signing key: published from {@code createdAt}, signs in
 * [{@code activeFrom}, {@code activeUntil}), published until {@code retireAt} (when every token it
 * signed has expired).
 */
public record KeyTimes(String kid, Instant createdAt, Instant activeFrom, Instant activeUntil, Instant retireAt) {

    public KeyTimes {
        Objects.requireNonNull(kid, "kid");
        if (activeUntil.isBefore(activeFrom) || retireAt.isBefore(activeUntil) || activeFrom.isBefore(createdAt)) {
            throw new IllegalArgumentException("key times out of order: " + kid + " created " + createdAt + " active "
                    + activeFrom + ".." + activeUntil + " retire " + retireAt
                    + " (expected: created <= active-from <= active-until <= retire-at)");
        }
    }

    boolean signsAt(Instant now) {
        return !now.isBefore(activeFrom) && now.isBefore(activeUntil);
    }

    boolean publishedAt(Instant now) {
        return now.isBefore(retireAt);
    }
}
