package dev.bulwark.inventory.stock;

/**
 * No such item, or no such reservation of the caller (another subject's reservation is not told apart from an
 * absent one). Rendered as 404 with a fixed text per kind.
 */
public final class NotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What was not found. */
    public enum Kind {
        ITEM, RESERVATION
    }

    private final Kind kind;

    NotFoundException(Kind kind) {
        super(kind.name().toLowerCase(java.util.Locale.ROOT) + " not found");
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
