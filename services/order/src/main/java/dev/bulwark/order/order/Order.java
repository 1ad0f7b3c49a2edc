package dev.bulwark.order.order;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A placed order as stored and as returned by the API. {@code deliveryId} is the logistics domain's delivery,
 * {@code null} when no delivery is scheduled ({@code bulwark.order.delivery.flow=off} or downstream calls
 * disabled). The inventory reservation id is stored but not returned.
 */
public record Order(String orderId, String customer, List<OrderLine> items, String shippingAddress,
        OrderStatus status, Instant createdAt, @Nullable String deliveryId) {

    public Order {
        items = List.copyOf(items);
    }

    /** One line of a placed order. */
    public record OrderLine(String itemCode, int quantity) {
    }
}
