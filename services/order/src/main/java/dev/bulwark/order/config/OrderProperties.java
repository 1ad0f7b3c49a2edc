package dev.bulwark.order.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the order service, bound from {@code bulwark.order.*}. Every default is written here once;
 * a wrong configuration fails at start-up with every problem listed. The downstream settings ({@code sts},
 * {@code inventory}, {@code delivery}, {@code logistics-sts}, {@code logistics-gateway}) are checked for their
 * form here, and for completeness by {@link #downstreamProblems()} once workload TLS makes downstream calls
 * possible.
 *
 * @param userContext how the gateway's user-context JWT is verified
 * @param maxBodySize largest request body accepted; larger bodies get 413 before they are parsed
 * @param sts the ecomm STS (token exchange)
 * @param inventory the inventory service (stock reservation)
 * @param delivery the delivery service and the flow that reaches it
 * @param logisticsSts the logistics domain's STS (RFC 7523 jwt-bearer grant, direct flow)
 * @param logisticsGateway the logistics domain's gateway (gateway flow)
 * @param downstreamTimeout connect and response timeout of each downstream call
 * @param policy the embedded policy engine that decides who reads and cancels an order
 */
@ConfigurationProperties("bulwark.order")
public record OrderProperties(@DefaultValue UserContext userContext, @DefaultValue("16KB") DataSize maxBodySize,
        @DefaultValue Sts sts, @DefaultValue Inventory inventory, @DefaultValue Delivery delivery,
        @DefaultValue LogisticsSts logisticsSts, @DefaultValue LogisticsGateway logisticsGateway,
        @DefaultValue("10s") Duration downstreamTimeout, @DefaultValue Policy policy) {

    private static final Pattern SPIFFE_ID = Pattern
        .compile("spiffe://[a-z0-9._-]{1,255}(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+");

    public OrderProperties {
        List<String> problems = new ArrayList<>();
        if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > DataSize.ofMegabytes(1).toBytes()) {
            problems.add("bulwark.order.max-body-size: " + maxBodySize + " (expected: 1B..1MB)");
        }
        if (downstreamTimeout.compareTo(Duration.ofMillis(100)) < 0 || downstreamTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            problems.add("bulwark.order.downstream-timeout: " + downstreamTimeout + " (expected: 100ms..1m)");
        }
        problems.addAll(userContext.problems());
        if (policy.reloadInterval().compareTo(Duration.ofMillis(100)) < 0) {
            problems.add("bulwark.order.policy.reload-interval: " + policy.reloadInterval() + " (expected: at least 100ms)");
        }
        httpsUri(problems, "bulwark.order.sts.token-uri", sts.tokenUri());
        spiffeId(problems, "bulwark.order.sts.spiffe-id", sts.spiffeId());
        notBlank(problems, "bulwark.order.sts.client-id", sts.clientId(), "the order service's client id at the STS, e.g. order-service");
        httpsUri(problems, "bulwark.order.inventory.uri", inventory.uri());
        spiffeId(problems, "bulwark.order.inventory.spiffe-id", inventory.spiffeId());
        notBlank(problems, "bulwark.order.inventory.audience", inventory.audience(), "e.g. inventory-service");
        httpsUri(problems, "bulwark.order.delivery.uri", delivery.uri());
        spiffeId(problems, "bulwark.order.delivery.spiffe-id", delivery.spiffeId());
        notBlank(problems, "bulwark.order.delivery.audience", delivery.audience(), "e.g. delivery-service");
        if (logisticsSts.issuer() != null) {
            notBlank(problems, "bulwark.order.logistics-sts.issuer", logisticsSts.issuer(), "the logistics STS's issuer URL");
        }
        httpsUri(problems, "bulwark.order.logistics-sts.token-uri", logisticsSts.tokenUri());
        spiffeId(problems, "bulwark.order.logistics-sts.spiffe-id", logisticsSts.spiffeId());
        notBlank(problems, "bulwark.order.logistics-sts.client-id", logisticsSts.clientId(), "e.g. ecomm-order");
        httpsUri(problems, "bulwark.order.logistics-gateway.uri", logisticsGateway.uri());
        spiffeId(problems, "bulwark.order.logistics-gateway.spiffe-id", logisticsGateway.spiffeId());
        notBlank(problems, "bulwark.order.logistics-gateway.audience", logisticsGateway.audience(), "e.g. logistics-gateway");
        fail(problems);
    }

    /**
     * What is missing for downstream calls (reservation, delivery by the configured flow): empty when they can
     * be made. Called at start-up when workload TLS is on; the caller fails with the whole list.
     */
    public List<String> downstreamProblems() {
        List<String> problems = new ArrayList<>();
        if (inventory.uri() == null) {
            problems.add("bulwark.order.inventory.uri is not set (expected: the inventory service's base URL, e.g. https://localhost:8444)");
        }
        switch (delivery.flow()) {
            case DIRECT -> {
                if (delivery.uri() == null) {
                    problems.add("bulwark.order.delivery.uri is not set (expected with bulwark.order.delivery.flow=direct:"
                            + " the delivery service's base URL)");
                }
                if (logisticsSts.issuer() == null) {
                    problems.add("bulwark.order.logistics-sts.issuer is not set (expected with bulwark.order.delivery.flow=direct:"
                            + " the logistics STS's issuer URL)");
                }
                if (logisticsSts.tokenUri() == null) {
                    problems.add("bulwark.order.logistics-sts.token-uri is not set (expected with bulwark.order.delivery.flow=direct:"
                            + " the logistics STS's token endpoint)");
                }
            }
            case GATEWAY -> {
                if (logisticsGateway.uri() == null) {
                    problems.add("bulwark.order.logistics-gateway.uri is not set (expected with bulwark.order.delivery.flow=gateway:"
                            + " the logistics gateway's base URL)");
                }
            }
            case OFF -> {
                // no delivery is scheduled
            }
        }
        return problems;
    }

    /** Names of the settings that only matter with downstream calls and are set; empty when none is. */
    public List<String> downstreamSettingsSet() {
        List<String> set = new ArrayList<>();
        if (inventory.uri() != null) {
            set.add("bulwark.order.inventory.uri");
        }
        if (delivery.uri() != null) {
            set.add("bulwark.order.delivery.uri");
        }
        if (logisticsGateway.uri() != null) {
            set.add("bulwark.order.logistics-gateway.uri");
        }
        return set;
    }

    static void fail(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid order service configuration: " + String.join("; ", problems));
        }
    }

    private static void httpsUri(List<String> problems, String name, @Nullable URI uri) {
        if (uri == null) {
            return;
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            problems.add(name + ": " + uri + " (expected: an https URL with a host, no user info, query or fragment)");
        }
    }

    private static void spiffeId(List<String> problems, String name, String value) {
        if (!SPIFFE_ID.matcher(value).matches()) {
            problems.add(name + ": " + value + " (expected: a SPIFFE ID, spiffe://<trust-domain>/<path>)");
        }
    }

    private static void notBlank(List<String> problems, String name, @Nullable String value, String expected) {
        if (value == null || value.isBlank()) {
            problems.add(name + " is blank (expected: " + expected + ")");
        }
    }

    /**
     * @param issuer required {@code iss} of the user-context JWT
     * @param audience value the {@code aud} claim must contain
     * @param jwkSetFile file holding the gateway's public JWK set (required; no default)
     */
    public record UserContext(@DefaultValue("bulwark-gateway") String issuer,
            @DefaultValue("order-service") String audience, @Nullable Path jwkSetFile) {

        List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (issuer.isBlank()) {
                problems.add("bulwark.order.user-context.issuer is blank (expected: the gateway's issuer, e.g. bulwark-gateway)");
            }
            if (audience.isBlank()) {
                problems.add("bulwark.order.user-context.audience is blank (expected: e.g. order-service)");
            }
            if (jwkSetFile == null) {
                problems.add("bulwark.order.user-context.jwk-set-file is not set (expected: the path of the gateway's"
                        + " public JWK set, e.g. .bulwark/keys/gateway-context.pub.jwks)");
            }
            return problems;
        }

        /** The JWK set file; only call after the properties have been validated. */
        public Path requiredJwkSetFile() {
            if (jwkSetFile == null) {
                throw new IllegalStateException("bulwark.order.user-context.jwk-set-file is not set");
            }
            return jwkSetFile;
        }
    }

    /**
     * The ecomm STS, where the user-context JWT is exchanged (RFC 8693) over mTLS ({@code tls_client_auth}).
     *
     * @param tokenUri the token endpoint
     * @param spiffeId the SPIFFE ID the STS's server certificate must carry
     * @param clientId this service's client id there
     */
    public record Sts(@DefaultValue("https://localhost:9443/oauth2/token") URI tokenUri,
            @DefaultValue("spiffe://ecomm.local/sts") String spiffeId, @DefaultValue("order-service") String clientId) {
    }

    /**
     * The inventory service.
     *
     * @param uri base URL ({@code PUT <uri>/inventory}); no default
     * @param spiffeId the SPIFFE ID its server certificate must carry
     * @param audience the {@code aud} of the tokens sent to it
     * @param token which token pattern is sent
     */
    public record Inventory(@Nullable URI uri, @DefaultValue("spiffe://ecomm.local/inventory") String spiffeId,
            @DefaultValue("inventory-service") String audience, @DefaultValue("exchanged") InventoryToken token) {
    }

    /** The token the order service sends to the inventory service. */
    public enum InventoryToken {
        /** An STS-issued token from exchanging the user-context JWT (RFC 8693), audience the inventory. */
        EXCHANGED,
        /** The gateway's user-context JWT as received (the callee must be configured to accept it). */
        SHARED,
        /** A JWT signed with this workload's own SVID key ({@code x5c} header). */
        SELF_ISSUED,
        /** The exchanged token wrapped in a JWS signed with this workload's SVID key (RFC 7519 §5.2). */
        NESTED;

        /** The property value, e.g. {@code self-issued}. */
        public String value() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The delivery service.
     *
     * @param flow how it is reached
     * @param uri base URL ({@code POST <uri>/deliveries}) for the direct flow
     * @param spiffeId the SPIFFE ID its server certificate must carry (direct flow)
     * @param audience the {@code aud} requested from the logistics STS (direct flow)
     */
    public record Delivery(@DefaultValue("direct") DeliveryFlow flow, @Nullable URI uri,
            @DefaultValue("spiffe://logistics.local/delivery") String spiffeId,
            @DefaultValue("delivery-service") String audience) {
    }

    /** How a delivery is scheduled. */
    public enum DeliveryFlow {
        /** Exchange at the ecomm STS for the logistics STS, jwt-bearer grant there, then the delivery service. */
        DIRECT,
        /** Exchange at the ecomm STS for the logistics gateway, then the gateway. */
        GATEWAY,
        /** No delivery is scheduled. */
        OFF
    }

    /**
     * The logistics domain's STS (direct flow).
     *
     * @param issuer its issuer URL: the audience of the assertion the ecomm STS issues
     * @param tokenUri its token endpoint
     * @param spiffeId the SPIFFE ID its server certificate must carry
     * @param clientId this service's client id there
     */
    public record LogisticsSts(@Nullable String issuer, @Nullable URI tokenUri,
            @DefaultValue("spiffe://logistics.local/sts") String spiffeId,
            @DefaultValue("ecomm-order") String clientId) {
    }

    /**
     * The logistics domain's gateway (gateway flow).
     *
     * @param uri base URL ({@code POST <uri>/api/deliveries})
     * @param spiffeId the SPIFFE ID its server certificate must carry
     * @param audience the {@code aud} requested from the ecomm STS
     */
    public record LogisticsGateway(@Nullable URI uri, @DefaultValue("spiffe://logistics.local/gateway") String spiffeId,
            @DefaultValue("logistics-gateway") String audience) {
    }

    /**
     * @param dir the Cedar policy directory ({@code *.cedar}, the schema, {@code entities.json}), the same one
     *        the gateway reads, reloaded on change; unset → the built-in defaults (the book's policies)
     * @param reloadInterval how often the directory is checked for changes
     */
    public record Policy(@Nullable Path dir, @DefaultValue("PT2S") Duration reloadInterval) {
    }
}
