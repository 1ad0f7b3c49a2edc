package dev.bulwark.securitykit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpiffeIdPolicyTests {

    @Test
    void oneOfWhenExactIdThenAllowedAndOthersNot() {
        SpiffeIdPolicy policy = SpiffeIdPolicy.oneOf("spiffe://ecomm.local/gateway");

        assertThat(policy.allows("spiffe://ecomm.local/gateway")).isTrue();
        assertThat(policy.allows("spiffe://ecomm.local/gateway/x")).isFalse();
        assertThat(policy.allows("spiffe://other.local/gateway")).isFalse();
    }

    @Test
    void oneOfWhenNotASpiffeIdThenRefusedAtConstruction() {
        assertThatThrownBy(() -> SpiffeIdPolicy.oneOf("https://ecomm.local/gateway"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spiffe id: https://ecomm.local/gateway (expected: spiffe://<trust-domain>/<path>)");
        assertThatThrownBy(() -> SpiffeIdPolicy.oneOf("spiffe://ecomm.local"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anyInWhenSameTrustDomainThenAllowed() {
        SpiffeIdPolicy policy = SpiffeIdPolicy.anyIn("ecomm.local");

        assertThat(policy.allows("spiffe://ecomm.local/order")).isTrue();
        assertThat(policy.allows("spiffe://ecomm.local.evil/order")).isFalse();
    }

    @Test
    void matchingWhenPredicateThenDelegates() {
        assertThat(SpiffeIdPolicy.matching(id -> id.endsWith("/sts")).allows("spiffe://ecomm.local/sts")).isTrue();
    }
}
