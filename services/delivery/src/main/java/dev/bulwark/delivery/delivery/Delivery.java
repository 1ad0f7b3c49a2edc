package dev.bulwark.delivery.delivery;

/**
 * A delivery as the API returns it ({@code POST} and {@code GET}): exactly these three fields, which callers
 * may bind strictly.
 */
public record Delivery(String deliveryId, String orderId, DeliveryStatus status) {
}
