package dev.bulwark.delivery.delivery;

/** No delivery with that id belongs to the caller (whether it exists for someone else is not said); 404. */
public final class DeliveryNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DeliveryNotFoundException() {
        super("delivery not found");
    }
}
