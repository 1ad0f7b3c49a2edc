package dev.bulwark.order.downstream;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.net.ssl.SSLContext;

import dev.bulwark.order.config.OrderProperties;
import dev.bulwark.order.delivery.DeliveryScheduler;
import dev.bulwark.order.delivery.DeliveryTokens;
import dev.bulwark.order.delivery.HttpDeliveryScheduler;
import dev.bulwark.order.inventory.HttpInventoryReservations;
import dev.bulwark.order.inventory.InventoryReservations;
import dev.bulwark.order.inventory.InventoryTokens;
import dev.bulwark.securitykit.boot.WorkloadTls;
import dev.bulwark.securitykit.jwt.TokenClient;
import dev.bulwark.securitykit.jwt.WorkloadJwtSigner;
import dev.bulwark.securitykit.tls.SpiffeTls;
import tools.jackson.databind.json.JsonMapper;

/**
 * The order service's downstream side, built once from the properties: the inventory reservations and the
 * delivery scheduler of the configured token pattern and flow, the STS clients behind them (for their cache
 * counters), and the HTTP clients to close. Every connection is mTLS from this workload's SVID and accepts
 * only the configured SPIFFE ID of its destination.
 */
public final class Downstream implements AutoCloseable {

    /** Lifetime of self-issued and nested tokens: one call, so far below the 60 s the contract allows. */
    static final Duration WORKLOAD_TOKEN_LIFETIME = Duration.ofSeconds(30);

    private final InventoryReservations inventory;
    private final DeliveryScheduler delivery;
    private final Map<String, TokenClient> tokenClients;
    private final List<AutoCloseable> closeables;

    private Downstream(InventoryReservations inventory, DeliveryScheduler delivery,
            Map<String, TokenClient> tokenClients, List<AutoCloseable> closeables) {
        this.inventory = inventory;
        this.delivery = delivery;
        this.tokenClients = Map.copyOf(tokenClients);
        this.closeables = List.copyOf(closeables);
    }

    /** No downstream calls: orders are stored without a reservation or a delivery. */
    public static Downstream disabled() {
        return new Downstream(InventoryReservations.disabled(), DeliveryScheduler.off(), Map.of(), List.of());
    }

    /**
     * The clients of the configured pattern and flow over workload TLS.
     *
     * @throws IllegalArgumentException listing every missing setting ({@link OrderProperties#downstreamProblems()})
     */
    public static Downstream create(OrderProperties properties, WorkloadTls tls) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(tls, "tls");
        List<String> problems = properties.downstreamProblems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid order service configuration (workload TLS is on, so orders"
                    + " are reserved and delivered): " + String.join("; ", problems));
        }
        JsonMapper json = JsonMapper.builder().build();
        Duration timeout = properties.downstreamTimeout();
        List<AutoCloseable> closeables = new ArrayList<>();
        Map<String, TokenClient> tokenClients = new LinkedHashMap<>();

        TokenClient ecommClient = TokenClient
            .builder(properties.sts().tokenUri(), properties.sts().clientId(), tls.clientContext(properties.sts().spiffeId()))
            .timeout(timeout)
            .build();
        tokenClients.put("sts", ecommClient);
        StsTokens ecommSts = new TokenClientStsTokens("sts", ecommClient);

        OrderProperties.Inventory inventorySettings = properties.inventory();
        JsonHttp inventoryHttp = http("inventory", tls, inventorySettings.spiffeId(), json, timeout);
        closeables.add(inventoryHttp);
        WorkloadTokens workloadTokens = new SvidWorkloadTokens(
                new WorkloadJwtSigner(tls.svids(), Clock.systemUTC(), WORKLOAD_TOKEN_LIFETIME));
        InventoryReservations inventory = new HttpInventoryReservations(inventoryHttp,
                Objects.requireNonNull(inventorySettings.uri(), "inventory.uri"),
                new InventoryTokens(inventorySettings.token(), inventorySettings.audience(), ecommSts, workloadTokens));

        DeliveryScheduler delivery = switch (properties.delivery().flow()) {
            case OFF -> DeliveryScheduler.off();
            case DIRECT -> {
                OrderProperties.LogisticsSts logistics = properties.logisticsSts();
                TokenClient logisticsClient = TokenClient
                    .builder(Objects.requireNonNull(logistics.tokenUri(), "logistics-sts.token-uri"), logistics.clientId(),
                            tls.clientContext(logistics.spiffeId()))
                    .timeout(timeout)
                    .build();
                tokenClients.put("logistics-sts", logisticsClient);
                JsonHttp deliveryHttp = http("delivery", tls, properties.delivery().spiffeId(), json, timeout);
                closeables.add(deliveryHttp);
                yield new HttpDeliveryScheduler(deliveryHttp,
                        JsonHttp.resolve(Objects.requireNonNull(properties.delivery().uri(), "delivery.uri"), "/deliveries"),
                        DeliveryTokens.direct(ecommSts, Objects.requireNonNull(logistics.issuer(), "logistics-sts.issuer"),
                                new TokenClientStsTokens("logistics-sts", logisticsClient), properties.delivery().audience()));
            }
            case GATEWAY -> {
                OrderProperties.LogisticsGateway gateway = properties.logisticsGateway();
                JsonHttp gatewayHttp = http("logistics-gateway", tls, gateway.spiffeId(), json, timeout);
                closeables.add(gatewayHttp);
                yield new HttpDeliveryScheduler(gatewayHttp,
                        JsonHttp.resolve(Objects.requireNonNull(gateway.uri(), "logistics-gateway.uri"), "/api/deliveries"),
                        DeliveryTokens.gateway(ecommSts, gateway.audience()));
            }
        };
        return new Downstream(inventory, delivery, tokenClients, closeables);
    }

    private static JsonHttp http(String component, WorkloadTls tls, String spiffeId, JsonMapper json, Duration timeout) {
        SSLContext context = tls.clientContext(spiffeId);
        return new JsonHttp(component, context, SpiffeTls.clientParameters(context), json, timeout);
    }

    /** Reserves stock with the configured token pattern (or does nothing when disabled). */
    public InventoryReservations inventory() {
        return inventory;
    }

    /** Schedules deliveries by the configured flow (or does nothing when off or disabled). */
    public DeliveryScheduler delivery() {
        return delivery;
    }

    /** The STS clients by component name ({@code sts}, {@code logistics-sts}), for their cache counters. */
    public Map<String, TokenClient> tokenClients() {
        return tokenClients;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }
}
