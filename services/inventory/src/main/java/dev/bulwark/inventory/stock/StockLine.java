package dev.bulwark.inventory.stock;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A checked item code and quantity: a line of a reservation, or an item's stock level in {@code GET
 * /inventory/{code}}.
 */
public record StockLine(String code, int qty) {

    /** What an item code looks like (upper-case letters and digits, 1..32). */
    public static final Pattern CODE = Pattern.compile("[A-Z0-9]{1,32}");

    public StockLine {
        Objects.requireNonNull(code, "code");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("code: not " + CODE.pattern() + " (length " + code.length() + ")");
        }
        if (qty < 0) {
            throw new IllegalArgumentException("qty: " + qty + " (expected: >= 0)");
        }
    }
}
