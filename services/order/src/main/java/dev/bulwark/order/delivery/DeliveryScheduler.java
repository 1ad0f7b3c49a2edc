package dev.bulwark.order.delivery;

import java.util.List;

import dev.bulwark.order.downstream.Caller;
import dev.bulwark.order.downstream.Item;
import org.jspecify.annotations.Nullable;

/** Schedules the delivery of an order in the logistics domain. */
public interface DeliveryScheduler {

    /**
     * Schedules the delivery and returns its id; {@code null} when no delivery is scheduled ({@link #off()}).
     *
     * @throws dev.bulwark.order.downstream.DownstreamException for any failure (STS, gateway or delivery)
     */
    @Nullable String schedule(Caller caller, String orderId, String address, List<Item> items);

    /** {@code bulwark.order.delivery.flow=off}, or downstream calls disabled: nothing is scheduled. */
    static DeliveryScheduler off() {
        return (caller, orderId, address, items) -> null;
    }
}
