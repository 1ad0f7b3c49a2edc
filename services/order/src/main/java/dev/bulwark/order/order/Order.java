package dev.bulwark.order.order;

import java.time.Instant;
import java.util.List;

/** A placed order as stored and as returned by the API. */
public record Order(String orderId, String customer, List<OrderLine> items, String shippingAddress,
        OrderStatus status, Instant createdAt) {

    public Order {
        items = List.copyOf(items);
    }

    /** One line of a placed order. */
    public record OrderLine(String itemCode, int quantity) {
    }
}
