package dev.bulwark.order.order;

import java.util.Objects;

/** The customer an order belongs to: the {@code sub} of the user-context JWT, checked once here. */
public record CustomerId(String value) {

    public CustomerId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 255) {
            throw new IllegalArgumentException("customer id: length " + value.length() + " (expected: 1..255, not blank)");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
