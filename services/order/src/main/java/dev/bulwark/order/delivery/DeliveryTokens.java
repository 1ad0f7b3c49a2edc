package dev.bulwark.order.delivery;

import java.util.Objects;
import java.util.Set;

import dev.bulwark.order.downstream.Caller;
import dev.bulwark.order.downstream.StsTokens;

/** The token a delivery request carries, by flow. */
@FunctionalInterface
public interface DeliveryTokens {

    /** Scheduling a delivery needs this scope. */
    Set<String> WRITE = Set.of("delivery:write");

    /** A token for {@code caller} accepted by the delivery endpoint of the flow. */
    String tokenFor(Caller caller);

    /**
     * Direct flow, across trust domains: the user-context JWT is exchanged at the ecomm STS for an assertion
     * addressed to the logistics STS (audience = its issuer), which the logistics STS turns into a token for
     * the delivery service by the RFC 7523 jwt-bearer grant.
     */
    static DeliveryTokens direct(StsTokens ecommSts, String logisticsIssuer, StsTokens logisticsSts,
            String deliveryAudience) {
        Objects.requireNonNull(ecommSts, "ecommSts");
        Objects.requireNonNull(logisticsIssuer, "logisticsIssuer");
        Objects.requireNonNull(logisticsSts, "logisticsSts");
        Objects.requireNonNull(deliveryAudience, "deliveryAudience");
        return caller -> logisticsSts.jwtBearer(ecommSts.exchange(caller.userContextJwt(), logisticsIssuer, WRITE),
                deliveryAudience, WRITE);
    }

    /**
     * Gateway flow: the user-context JWT is exchanged at the ecomm STS for the logistics gateway's audience;
     * the gateway exchanges it again in its own domain.
     */
    static DeliveryTokens gateway(StsTokens ecommSts, String gatewayAudience) {
        Objects.requireNonNull(ecommSts, "ecommSts");
        Objects.requireNonNull(gatewayAudience, "gatewayAudience");
        return caller -> ecommSts.exchange(caller.userContextJwt(), gatewayAudience, WRITE);
    }
}
