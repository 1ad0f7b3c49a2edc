package dev.bulwark.inventory.stock;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** A reservation's id: a random UUID, accepted only in its canonical 36-character form. */
public record ReservationId(UUID value) {

    private static final Pattern CANONICAL = Pattern
        .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public ReservationId {
        Objects.requireNonNull(value, "value");
    }

    static ReservationId random() {
        return new ReservationId(UUID.randomUUID());
    }

    /** Empty for anything that is not a canonical UUID, so a malformed id is simply not found. */
    public static Optional<ReservationId> parse(String text) {
        if (text.length() != 36 || !CANONICAL.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ReservationId(UUID.fromString(text)));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
