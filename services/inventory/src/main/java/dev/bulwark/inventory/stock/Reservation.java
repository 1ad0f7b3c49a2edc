package dev.bulwark.inventory.stock;

import java.util.List;

/** A reservation as returned by {@code PUT /inventory}: its id and the reserved lines. */
public record Reservation(String reservationId, List<StockLine> items) {

    public Reservation {
        items = List.copyOf(items);
    }
}
