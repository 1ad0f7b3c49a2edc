package dev.bulwark.inventory.stock;

/**
 * An item of a reservation is unknown or has less stock than asked for; nothing was reserved. Rendered as 409.
 */
public final class InsufficientStockException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    InsufficientStockException(String code) {
        super("insufficient stock for " + code);
        this.code = code;
    }

    /** The (pattern-checked) code of the first item that could not be reserved. */
    public String code() {
        return code;
    }
}
