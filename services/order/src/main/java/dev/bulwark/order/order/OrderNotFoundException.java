package dev.bulwark.order.order;

/** No order with that id belongs to the caller (whether it exists for someone else is not said). */
public final class OrderNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    OrderNotFoundException() {
        super("order not found");
    }
}
