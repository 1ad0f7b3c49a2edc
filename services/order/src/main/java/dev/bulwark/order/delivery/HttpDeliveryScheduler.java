package dev.bulwark.order.delivery;

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
 * {@code POST <endpoint>} with {@code {"orderId","address","items":[{"code","qty"}]}}: the delivery service's
 * {@code /deliveries} (direct flow) or the logistics gateway's {@code /api/deliveries} (gateway flow). 201 (or
 * 200) with a {@code deliveryId} is success; anything else is a {@link DownstreamException}.
 */
public final class HttpDeliveryScheduler implements DeliveryScheduler {

    private static final Logger log = LoggerFactory.getLogger(HttpDeliveryScheduler.class);
    private static final String DELIVERY_ID = "[A-Za-z0-9-]{1,64}";

    private final JsonHttp http;
    private final URI endpoint;
    private final DeliveryTokens tokens;

    public HttpDeliveryScheduler(JsonHttp http, URI endpoint, DeliveryTokens tokens) {
        this.http = Objects.requireNonNull(http, "http");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public String schedule(Caller caller, String orderId, String address, List<Item> items) {
        String token = tokens.tokenFor(caller);
        JsonHttp.Response response = http.send("schedule", "POST", endpoint, token,
                new DeliveryRequest(orderId, address, items));
        if (response.status() != 201 && response.status() != 200) {
            throw new DownstreamException(http.component(), "schedule", "status_" + response.status());
        }
        String id = response.text("deliveryId")
            .filter(value -> value.matches(DELIVERY_ID))
            .orElseThrow(() -> new DownstreamException(http.component(), "schedule", "no_delivery_id"));
        log.info("event=delivery_scheduled order_id={} delivery_id={} via={}", orderId, id, http.component());
        return id;
    }

    /** The body of the delivery request. */
    record DeliveryRequest(String orderId, String address, List<Item> items) {
    }
}
