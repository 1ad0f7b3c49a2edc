package dev.bulwark.identity.spiffe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpiffeIdTests {

    @Test
    void parseWhenValidThenTrustDomainAndPath() {
        SpiffeId id = SpiffeId.parse("spiffe://ecomm.local/ns/prod/order-service_1.v2");

        assertThat(id.trustDomain()).isEqualTo(new TrustDomain("ecomm.local"));
        assertThat(id.path()).isEqualTo("/ns/prod/order-service_1.v2");
        assertThat(id).hasToString("spiffe://ecomm.local/ns/prod/order-service_1.v2");
        assertThat(id.toUri().getScheme()).isEqualTo("spiffe");
    }

    @Test
    void parseWhenNoPathThenTrustDomainId() {
        SpiffeId id = SpiffeId.parse("spiffe://ecomm.local");

        assertThat(id.path()).isEmpty();
        assertThat(id).isEqualTo(TrustDomain.DEFAULT.id());
    }

    @Test
    void parseWhenMixedCasePathThenKept() {
        assertThat(SpiffeId.parse("spiffe://ecomm.local/Order/ID").path()).isEqualTo("/Order/ID");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "ecomm.local/order", "http://ecomm.local/order", "SPIFFE://ecomm.local/order", "spiffe:/ecomm.local",
        "spiffe://", "spiffe:///order", "spiffe://Ecomm.local/order", "spiffe://ecomm.local:8443/order",
        "spiffe://user@ecomm.local/order", "spiffe://ecomm.local/order?x=1", "spiffe://ecomm.local/order#frag",
        "spiffe://ecomm.local/", "spiffe://ecomm.local//order", "spiffe://ecomm.local/order/", "spiffe://ecomm.local/./order",
        "spiffe://ecomm.local/../order", "spiffe://ecomm.local/ord%20er", "spiffe://ecomm.local/ord er", "spiffe://ecomm.local/örder"
    })
    void parseWhenInvalidThenRefusedWithValueAndExpectation(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> SpiffeId.parse(value))
                .withMessageContaining(value)
                .withMessageContaining("(expected: ");
    }

    @Test
    void parseWhenLongerThan2048BytesThenRefused() {
        String value = "spiffe://ecomm.local/" + "a".repeat(2048 - "spiffe://ecomm.local/".length() + 1);

        assertThatIllegalArgumentException().isThrownBy(() -> SpiffeId.parse(value)).withMessageContaining("2048 bytes");
    }

    @Test
    void parseWhenExactly2048BytesThenAccepted() {
        String value = "spiffe://ecomm.local/" + "a".repeat(2048 - "spiffe://ecomm.local/".length());

        assertThat(SpiffeId.parse(value).toString()).hasSize(2048);
    }

    @Test
    void ofWhenSegmentsThenJoined() {
        assertThat(SpiffeId.of(TrustDomain.DEFAULT, "ns", "order")).isEqualTo(SpiffeId.parse("spiffe://ecomm.local/ns/order"));
    }

    @Test
    void ofWhenSegmentHasSlashThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> SpiffeId.of(TrustDomain.DEFAULT, "a/", "b"))
                .withMessageContaining("(expected: ");
    }

    @Test
    void memberOfWhenOtherTrustDomainThenFalse() {
        SpiffeId id = SpiffeId.parse("spiffe://logistics.local/delivery");

        assertThat(id.memberOf(TrustDomain.DEFAULT)).isFalse();
        assertThat(id.memberOf(TrustDomain.parse("logistics.local"))).isTrue();
    }
}
