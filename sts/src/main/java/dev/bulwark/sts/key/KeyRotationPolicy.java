package dev.bulwark.sts.key;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides, from the keys that exist and the time, which key signs, which keys are published, which
 * keys to create and which to delete. Pure: no clock, no storage, so it is tested alone.
 *
 * <p>A successor key is created {@code publishAhead} before the current key stops signing, so
 * relying parties that cache the JWKS see it before the first token signed with it. A key stays
 * published until {@code activeUntil + maxTokenLifetime}, when the last token it signed expires.
 */
public final class KeyRotationPolicy {

    private final Duration rotationPeriod;
    private final Duration publishAhead;
    private final Duration maxTokenLifetime;

    public KeyRotationPolicy(Duration rotationPeriod, Duration publishAhead, Duration maxTokenLifetime) {
        if (rotationPeriod.isZero() || rotationPeriod.isNegative()) {
            throw new IllegalArgumentException("rotationPeriod: " + rotationPeriod + " (expected: positive)");
        }
        if (publishAhead.isNegative() || publishAhead.compareTo(rotationPeriod) >= 0) {
            throw new IllegalArgumentException("publishAhead: " + publishAhead + " (expected: >= 0 and < rotationPeriod)");
        }
        this.rotationPeriod = rotationPeriod;
        this.publishAhead = publishAhead;
        this.maxTokenLifetime = maxTokenLifetime;
    }

    /** What to do now. */
    public record Plan(List<KeyTimes> create, List<String> delete) {

        public boolean isEmpty() {
            return create.isEmpty() && delete.isEmpty();
        }
    }

    public Plan plan(List<KeyTimes> keys, Instant now, Supplier<String> newKid) {
        List<String> delete = new ArrayList<>();
        List<KeyTimes> live = new ArrayList<>();
        for (KeyTimes k : keys) {
            if (k.publishedAt(now)) {
                live.add(k);
            } else {
                delete.add(k.kid());
            }
        }
        List<KeyTimes> create = new ArrayList<>();
        KeyTimes current = signingKey(live, now).orElse(null);
        if (current == null) {
            // first run, or the service was down past the end of the last key: sign from now on,
            // until the next already-scheduled key (if any) takes over
            Instant until = live.stream().map(KeyTimes::activeFrom).filter(now::isBefore).min(Comparator.naturalOrder())
                    .orElse(now.plus(rotationPeriod));
            current = newKey(newKid.get(), now, now, until);
            create.add(current);
            live.add(current);
        }
        Instant currentEnd = current.activeUntil();
        boolean hasSuccessor = live.stream().anyMatch(k -> !k.activeFrom().isBefore(currentEnd));
        if (!hasSuccessor && !now.isBefore(currentEnd.minus(publishAhead))) {
            create.add(newKey(newKid.get(), now, currentEnd, currentEnd.plus(rotationPeriod)));
        }
        return new Plan(List.copyOf(create), List.copyOf(delete));
    }

    private KeyTimes newKey(String kid, Instant createdAt, Instant activeFrom, Instant activeUntil) {
        return new KeyTimes(kid, createdAt, activeFrom, activeUntil, activeUntil.plus(maxTokenLifetime));
    }

    /** The key that signs at {@code now}: of those active, the one that became active last. */
    public static Optional<KeyTimes> signingKey(List<KeyTimes> keys, Instant now) {
        return keys.stream().filter(k -> k.signsAt(now)).max(Comparator.comparing(KeyTimes::activeFrom));
    }

    /** The keys in the JWKS at {@code now}: every key not yet retired, including ones that sign later. */
    public static List<KeyTimes> published(List<KeyTimes> keys, Instant now) {
        return keys.stream().filter(k -> k.publishedAt(now)).toList();
    }
}
