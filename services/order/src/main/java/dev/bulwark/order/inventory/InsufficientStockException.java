package dev.bulwark.order.inventory;

/**
 * The inventory service refused the reservation with 409: an item is short or unknown. Nothing was reserved;
 * the API answers 409 ("Insufficient stock") without saying which item.
 */
public class InsufficientStockException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InsufficientStockException() {
        super("inventory refused the reservation: insufficient stock");
    }
}
