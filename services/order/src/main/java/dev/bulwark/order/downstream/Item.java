package dev.bulwark.order.downstream;

import java.util.Objects;

/**
 * One line as the inventory and delivery services take it: {@code {"code":"IT0001","qty":3}}.
 *
 * @param code the item code
 * @param qty the quantity
 */
public record Item(String code, int qty) {

    public Item {
        Objects.requireNonNull(code, "code");
    }
}
