package dev.bulwark.order.order;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /orders}. Only these fields exist: the customer, id, status and time are never taken
 * from the client (unknown fields are refused).
 */
public record PlaceOrderRequest(
        @NotEmpty @Size(max = PlaceOrderRequest.MAX_ITEMS) @Nullable List<@NotNull @Valid Item> items,
        @NotBlank @Size(max = PlaceOrderRequest.MAX_ADDRESS) @Nullable String shippingAddress) {

    static final int MAX_ITEMS = 100;
    static final int MAX_ADDRESS = 500;

    /** One line of an order. */
    public record Item(
            @NotNull @Pattern(regexp = "[A-Z0-9]{1,32}", message = "must be 1 to 32 characters A-Z or 0-9") @Nullable String itemCode,
            @NotNull @Min(1) @Max(1000) @Nullable Integer quantity) {
    }
}
