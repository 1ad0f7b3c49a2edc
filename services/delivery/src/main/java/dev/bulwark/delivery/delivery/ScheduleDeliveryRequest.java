package dev.bulwark.delivery.delivery;

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
 * The body of {@code POST /deliveries}. Only these fields exist: the delivery id, status, owner and time are
 * never taken from the client (unknown fields are refused).
 */
public record ScheduleDeliveryRequest(
        @NotNull @Pattern(regexp = "[A-Za-z0-9-]{1,64}", message = "must be 1 to 64 characters A-Z, a-z, 0-9 or -") @Nullable String orderId,
        @NotBlank @Size(max = ScheduleDeliveryRequest.MAX_ADDRESS) @Nullable String address,
        @NotEmpty @Size(max = ScheduleDeliveryRequest.MAX_ITEMS) @Nullable List<@NotNull @Valid Item> items) {

    static final int MAX_ITEMS = 100;
    static final int MAX_ADDRESS = 500;

    /** One line to deliver. */
    public record Item(
            @NotNull @Pattern(regexp = "[A-Z0-9]{1,32}", message = "must be 1 to 32 characters A-Z or 0-9") @Nullable String code,
            @NotNull @Min(1) @Max(10_000) @Nullable Integer qty) {
    }
}
