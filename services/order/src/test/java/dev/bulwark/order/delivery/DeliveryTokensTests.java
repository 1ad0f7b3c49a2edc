package dev.bulwark.order.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import dev.bulwark.order.downstream.Caller;
import dev.bulwark.order.downstream.DownstreamException;
import dev.bulwark.order.downstream.FakeSts;
import org.junit.jupiter.api.Test;

class DeliveryTokensTests {

    static final Caller PETER = new Caller("peter", "user-context-jwt");
    static final String LOGISTICS_ISSUER = "https://localhost:9444";

    final FakeSts ecomm = new FakeSts("sts");
    final FakeSts logistics = new FakeSts("logistics-sts");

    @Test
    void tokenForWhenDirectThenExchangesForTheLogisticsStsAndPresentsTheResultAsJwtBearerAssertion() {
        String token = DeliveryTokens.direct(ecomm, LOGISTICS_ISSUER, logistics, "delivery-service").tokenFor(PETER);

        assertThat(ecomm.calls()).containsExactly(
                new FakeSts.Call("exchange", "user-context-jwt", LOGISTICS_ISSUER, Set.of("delivery:write")));
        assertThat(logistics.calls()).containsExactly(new FakeSts.Call("jwt-bearer",
                "sts:exchanged(user-context-jwt)->" + LOGISTICS_ISSUER, "delivery-service", Set.of("delivery:write")));
        assertThat(token).isEqualTo("logistics-sts:bearer(sts:exchanged(user-context-jwt)->" + LOGISTICS_ISSUER
                + ")->delivery-service");
    }

    @Test
    void tokenForWhenGatewayThenExchangesForTheLogisticsGatewayOnly() {
        String token = DeliveryTokens.gateway(ecomm, "logistics-gateway").tokenFor(PETER);

        assertThat(token).isEqualTo("sts:exchanged(user-context-jwt)->logistics-gateway");
        assertThat(ecomm.calls()).containsExactly(
                new FakeSts.Call("exchange", "user-context-jwt", "logistics-gateway", Set.of("delivery:write")));
    }

    @Test
    void tokenForWhenTheLogisticsStsRefusesTheAssertionThenFails() {
        logistics.failWith("invalid_grant");

        assertThatThrownBy(() -> DeliveryTokens.direct(ecomm, LOGISTICS_ISSUER, logistics, "delivery-service")
            .tokenFor(PETER))
            .isInstanceOf(DownstreamException.class)
            .extracting(ex -> ((DownstreamException) ex).component())
            .isEqualTo("logistics-sts");
    }

    @Test
    void offSchedulesNothing() {
        assertThat(DeliveryScheduler.off().schedule(PETER, "o", "a", java.util.List.of())).isNull();
    }
}
