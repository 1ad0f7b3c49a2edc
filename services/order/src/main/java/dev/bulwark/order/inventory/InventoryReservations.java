package dev.bulwark.order.inventory;

import java.util.List;

import dev.bulwark.order.downstream.Caller;
import dev.bulwark.order.downstream.Item;

/** Reserves and releases stock for an order at the inventory service. */
public interface InventoryReservations {

    /**
     * Reserves every item, or none.
     *
     * @throws InsufficientStockException when the inventory answers 409
     * @throws dev.bulwark.order.downstream.DownstreamException for any other failure (STS included)
     */
    Reservation reserve(Caller caller, List<Item> items);

    /**
     * Gives the stock back (an order that was not placed after all).
     *
     * @throws dev.bulwark.order.downstream.DownstreamException when the inventory does not confirm it
     */
    void release(Caller caller, Reservation reservation);

    /** Without downstream calls: every reservation succeeds as {@link Reservation#NONE}, release does nothing. */
    static InventoryReservations disabled() {
        return new InventoryReservations() {

            @Override
            public Reservation reserve(Caller caller, List<Item> items) {
                return Reservation.NONE;
            }

            @Override
            public void release(Caller caller, Reservation reservation) {
                // nothing was reserved
            }
        };
    }
}
