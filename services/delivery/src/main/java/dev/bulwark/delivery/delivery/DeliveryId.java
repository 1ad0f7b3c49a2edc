package dev.bulwark.delivery.delivery;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** A delivery's id: a random UUID, accepted only in its canonical 36-character form. */
public record DeliveryId(UUID value) {

    private static final Pattern CANONICAL = Pattern
        .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public DeliveryId {
        Objects.requireNonNull(value, "value");
    }

    static DeliveryId random() {
        return new DeliveryId(UUID.randomUUID());
    }

    /** Empty for anything that is not a canonical UUID, so a malformed id is simply not found. */
    public static Optional<DeliveryId> parse(String text) {
        if (text.length() != 36 || !CANONICAL.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(new DeliveryId(UUID.fromString(text)));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
