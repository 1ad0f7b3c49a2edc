package dev.bulwark.inventory.stock;

import org.jspecify.annotations.Nullable;

/**
 * One line of a {@code PUT /inventory} body as it arrives ({@code {"code":"IT0001","qty":3}}); nothing in it
 * is trusted until {@link ReservationRequest#validate} has checked it. Unknown fields are refused by Jackson.
 */
public record RequestedItem(@Nullable String code, @Nullable Integer qty) {
}
