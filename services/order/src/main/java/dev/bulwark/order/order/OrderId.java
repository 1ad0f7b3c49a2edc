package dev.bulwark.order.order;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** An order's id: a random UUID, accepted only in its canonical lower- or upper-case 36-character form. */
public record OrderId(UUID value) {

    private static final Pattern CANONICAL = Pattern
        .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public OrderId {
        Objects.requireNonNull(value, "value");
    }

    static OrderId random() {
        return new OrderId(UUID.randomUUID());
    }

    /** Empty for anything that is not a canonical UUID, so a malformed id is simply not found. */
    public static Optional<OrderId> parse(String text) {
        if (text.length() != 36 || !CANONICAL.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(new OrderId(UUID.fromString(text)));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
