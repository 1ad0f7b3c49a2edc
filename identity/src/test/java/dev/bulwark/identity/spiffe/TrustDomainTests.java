package dev.bulwark.identity.spiffe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustDomainTests {

    @Test
    void parseWhenNameThenTrustDomain() {
        assertThat(TrustDomain.parse("ecomm.local").name()).isEqualTo("ecomm.local");
        assertThat(TrustDomain.parse("my_domain-1.example")).hasToString("my_domain-1.example");
    }

    @Test
    void parseWhenSpiffeIdThenItsTrustDomain() {
        assertThat(TrustDomain.parse("spiffe://ecomm.local/order")).isEqualTo(TrustDomain.DEFAULT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Ecomm.local", "ecomm.local:443", "user@ecomm.local", "ecomm local", "ecomm.local/x", "ëcomm"})
    void parseWhenInvalidThenRefusedWithValueAndExpectation(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> TrustDomain.parse(value))
                .withMessage("trust domain: " + value + " (expected: "
                        + (value.isEmpty() ? "a non-empty trust domain name" : "only the characters [a-z0-9.-_]") + ")");
    }

    @Test
    void parseWhenLongerThan255ThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> TrustDomain.parse("a".repeat(256)))
                .withMessageContaining("at most 255 characters");
    }

    @Test
    void idWhenTrustDomainThenIdWithoutPath() {
        assertThat(TrustDomain.DEFAULT.id()).hasToString("spiffe://ecomm.local");
    }
}
