package dev.bulwark.order.inventory;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import dev.bulwark.order.downstream.Caller;
import dev.bulwark.order.downstream.DownstreamException;
import dev.bulwark.order.downstream.Item;
import dev.bulwark.order.downstream.JsonHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inventory service's API: {@code PUT <uri>/inventory} with {@code [{"code","qty"}]} answers 200
 * {@code {"reservationId"}} or 409 when stock is short; {@code DELETE <uri>/inventory/reservations/{id}}
 * answers 204 (404 when already released, which counts as released).
 */
public final class HttpInventoryReservations implements InventoryReservations {

    private static final Logger log = LoggerFactory.getLogger(HttpInventoryReservations.class);
    private static final String RESERVATION_ID = "[A-Za-z0-9-]{1,64}";

    private final JsonHttp http;
    private final URI base;
    private final InventoryTokens tokens;

    public HttpInventoryReservations(JsonHttp http, URI base, InventoryTokens tokens) {
        this.http = Objects.requireNonNull(http, "http");
        this.base = Objects.requireNonNull(base, "base");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public Reservation reserve(Caller caller, List<Item> items) {
        String token = tokens.tokenFor(caller);
        JsonHttp.Response response = http.send("reserve", "PUT", resolve("/inventory"), token, items);
        if (response.status() == 409) {
            log.info("event=reservation_refused reason=insufficient_stock items={}", items.size());
            throw new InsufficientStockException();
        }
        if (response.status() != 200 && response.status() != 201) {
            throw new DownstreamException(http.component(), "reserve", "status_" + response.status());
        }
        String id = response.text("reservationId")
            .filter(value -> value.matches(RESERVATION_ID))
            .orElseThrow(() -> new DownstreamException(http.component(), "reserve", "no_reservation_id"));
        log.info("event=stock_reserved reservation_id={} items={} token_pattern={}", id, items.size(),
                tokens.pattern().value());
        return new Reservation(id);
    }

    @Override
    public void release(Caller caller, Reservation reservation) {
        String id = reservation.id();
        if (id == null) {
            return;
        }
        String token = tokens.tokenFor(caller);
        JsonHttp.Response response = http.send("release", "DELETE", resolve("/inventory/reservations/" + id), token,
                null);
        // 404: already released (the DELETE is idempotent in effect)
        if (response.status() != 204 && response.status() != 200 && response.status() != 404) {
            throw new DownstreamException(http.component(), "release", "status_" + response.status());
        }
        log.info("event=reservation_released reservation_id={} status={}", id, response.status());
    }

    private URI resolve(String path) {
        return JsonHttp.resolve(base, path);
    }
}
