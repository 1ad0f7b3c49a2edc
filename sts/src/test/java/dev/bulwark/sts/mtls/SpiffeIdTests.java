package dev.bulwark.sts.mtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpiffeIdTests {

    @ParameterizedTest
    @ValueSource(strings = {"spiffe://ecomm.local/order", "spiffe://ecomm.local/ns/prod/sa/order-service_1",
            "spiffe://a-b_c.d/X.y"})
    void parseWhenValidThenRoundTrips(String id) {
        assertThat(SpiffeId.parse(id).toString()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "spiffe://ecomm.local", "spiffe://ecomm.local/", "spiffe://ecomm.local/order/",
            "spiffe://ecomm.local//order", "spiffe://ecomm.local/./order", "spiffe://ecomm.local/..",
            "spiffe://Ecomm.local/order", "spiffe://ecomm.local:443/order", "spiffe://user@ecomm.local/order",
            "spiffe://ecomm.local/order?x=1", "spiffe://ecomm.local/order#f", "SPIFFE://ecomm.local/order",
            "https://ecomm.local/order", "spiffe:///order", "spiffe://ecomm.local/or%20der"})
    void parseWhenNotASpiffeIdThenRefused(String id) {
        assertThatThrownBy(() -> SpiffeId.parse(id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("spiffe id: " + id + " (expected: spiffe://");
    }
}
