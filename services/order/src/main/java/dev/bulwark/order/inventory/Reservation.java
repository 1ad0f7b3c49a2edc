package dev.bulwark.order.inventory;

import org.jspecify.annotations.Nullable;

/**
 * Stock held for one order at the inventory service.
 *
 * @param id the inventory's reservation id; {@code null} when reservation is disabled
 */
public record Reservation(@Nullable String id) {

    /** No reservation was made (downstream calls disabled). */
    public static final Reservation NONE = new Reservation(null);
}
