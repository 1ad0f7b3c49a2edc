package dev.bulwark.securitykit.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReloadingKeyManagerTests {

    private final TestCa ca = TestCa.create("root");
    private final Svid first = ca.issue("order");
    private final MutableSvidSupplier svids = MutableSvidSupplier.of(first, ca.bundle());
    private final ReloadingKeyManager keys = new ReloadingKeyManager(svids);

    @Test
    void chooseServerAliasWhenSvidRenewedThenNewAliasAndChain() {
        String before = keys.chooseServerAlias("EC", null, null);
        Svid renewed = ca.issue("order");
        svids.updateSvid(renewed);
        String after = keys.chooseServerAlias("EC", null, null);

        assertThat(after).isNotEqualTo(before);
        assertThat(keys.getCertificateChain(after)).containsExactly(renewed.leaf());
        assertThat(keys.getPrivateKey(after)).isEqualTo(renewed.privateKey());
    }

    @Test
    void getPrivateKeyWhenRenewedBetweenAliasAndKeyThenKeyOfTheChosenSvid() {
        String alias = keys.chooseServerAlias("EC", null, null);
        svids.updateSvid(ca.issue("order"));
        keys.chooseServerAlias("EC", null, null);

        assertThat(keys.getPrivateKey(alias)).isEqualTo(first.privateKey());
        assertThat(keys.getCertificateChain(alias)).containsExactly(first.leaf());
    }

    @Test
    void chooseClientAliasWhenKeyTypeDoesNotFitThenNone() {
        assertThat(keys.chooseClientAlias(new String[] {"RSA"}, null, null)).isNull();
        assertThat(keys.chooseClientAlias(new String[] {"RSA", "EC"}, null, null)).startsWith("spiffe-svid-");
        assertThat(keys.getPrivateKey("unknown")).isNull();
    }

    @Test
    void toStringWhenSvidThenNoKeyMaterial() {
        assertThat(first.toString()).doesNotContain("PRIVATE").contains(first.leaf().getSerialNumber().toString(16));
    }
}
