package dev.bulwark.identity.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SvidUpdateTests {

    private static final TestSvids TRUST_DOMAIN = TestSvids.newTrustDomain("ecomm.local");

    @Test
    void toStringNeverContainsThePrivateKey() {
        SvidUpdate update = TRUST_DOMAIN.issue("spiffe://ecomm.local/order");

        assertThat(update.toString())
                .contains("spiffe://ecomm.local/order")
                .doesNotContain(Base64.getEncoder().encodeToString(update.privateKeyPkcs8Der()).substring(0, 16))
                .doesNotContainIgnoringCase("key");
    }

    @Test
    void trustDomainIdWhenPathThenSchemeAndHost() {
        assertThat(TRUST_DOMAIN.issue("spiffe://ecomm.local/ns/shop/order").trustDomainId()).isEqualTo("spiffe://ecomm.local");
    }

    @Test
    void accessorsWhenMutatedThenUpdateUnchanged() {
        SvidUpdate update = TRUST_DOMAIN.issue("spiffe://ecomm.local/order");
        byte[] chain = update.certificateChainDer();
        chain[0] ^= 1;

        assertThat(update.certificateChainDer()).isNotEqualTo(chain);
    }
}
