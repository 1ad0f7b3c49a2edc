package dev.bulwark.securitykit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.securitykit.tls.RecordingListener.Refusal;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpiffeTrustManagerTests {

    private final TestCa ca = TestCa.create("root");
    private final RecordingListener refusals = new RecordingListener();
    private final MutableSvidSupplier svids = MutableSvidSupplier.of(ca.issue("order"), ca.bundle());
    private final SpiffeTrustManager trust = new SpiffeTrustManager(svids,
            SpiffeIdPolicy.oneOf(TestCa.TRUST_DOMAIN + "gateway"), refusals, "server");

    @Test
    void checkWhenAllowedSvidThenReturnsItsSpiffeId() throws Exception {
        assertThat(trust.check(chain(ca.issue("gateway")))).isEqualTo(TestCa.TRUST_DOMAIN + "gateway");
        assertThat(refusals.refusals).isEmpty();
    }

    @Test
    void checkWhenPeerAlsoSendsTheRootThenAccepted() throws Exception {
        X509Certificate leaf = ca.issue("gateway").leaf();
        assertThat(trust.check(new X509Certificate[] {leaf, ca.root()})).isEqualTo(TestCa.TRUST_DOMAIN + "gateway");
    }

    @Test
    void checkWhenNoChainThenNoCertificate() {
        assertRefused(new X509Certificate[0], RefusalReason.NO_CERTIFICATE);
        assertRefused(null, RefusalReason.NO_CERTIFICATE);
    }

    @Test
    void checkWhenNoUriSanThenNoSpiffeId() {
        assertRefused(chain(issue(List.of(), false)), RefusalReason.NO_SPIFFE_ID);
    }

    @Test
    void checkWhenTwoUriSansThenNoSpiffeId() {
        assertRefused(chain(issue(List.of(TestCa.TRUST_DOMAIN + "gateway", TestCa.TRUST_DOMAIN + "order"), false)),
                RefusalReason.NO_SPIFFE_ID);
    }

    @Test
    void checkWhenUriIsNotSpiffeThenNoSpiffeId() {
        assertRefused(chain(issue(List.of("https://ecomm.local/gateway"), false)), RefusalReason.NO_SPIFFE_ID);
    }

    @Test
    void checkWhenLeafIsACaThenUntrustedChain() {
        assertRefused(chain(issue(List.of(TestCa.TRUST_DOMAIN + "gateway"), true)), RefusalReason.UNTRUSTED_CHAIN);
    }

    @Test
    void checkWhenNotYetValidThenNotYetValid() {
        Instant now = Instant.now();
        assertRefused(chain(ca.issue(List.of(TestCa.TRUST_DOMAIN + "gateway"), now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(2)), false)), RefusalReason.NOT_YET_VALID);
    }

    @Test
    void checkWhenBundleChangesThenTheNewBundleIsUsed() throws Exception {
        TestCa next = TestCa.create("next");
        svids.updateBundle(next.bundle());

        assertRefused(chain(ca.issue("gateway")), RefusalReason.UNTRUSTED_CHAIN);
        assertThat(trust.check(chain(next.issue("gateway")))).isEqualTo(TestCa.TRUST_DOMAIN + "gateway");
        assertThat(trust.getAcceptedIssuers()).containsExactly(next.root());
    }

    @Test
    void checkWhenListenerThrowsThenStillRefused() {
        SpiffeTrustManager failing = new SpiffeTrustManager(svids, SpiffeIdPolicy.oneOf(TestCa.TRUST_DOMAIN + "gateway"),
                (reason, id) -> {
                    throw new IllegalStateException("boom");
                }, "server");
        assertThatThrownBy(() -> failing.check(chain(ca.issue("payment"))))
                .isInstanceOf(PeerRefusedException.class)
                .hasMessage("spiffe_id_not_allowed: spiffe://ecomm.local/payment");
    }

    private Svid issue(List<String> uris, boolean isCa) {
        Instant now = Instant.now();
        return ca.issue(uris, now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)), isCa);
    }

    private static X509Certificate[] chain(Svid svid) {
        return svid.chain().toArray(X509Certificate[]::new);
    }

    @Test
    void checkWhenPeerOfAFederatedDomainChainsToItsBundleThenAccepted() throws Exception {
        TestCa logistics = TestCa.create("logistics");
        svids.updateFederatedBundles(java.util.Map.of("logistics.local", logistics.bundle()));
        SpiffeTrustManager federated = new SpiffeTrustManager(svids,
                SpiffeIdPolicy.oneOf("spiffe://logistics.local/gateway"), refusals, "server");

        assertThat(federated.check(chain(logistics.issueFor("spiffe://logistics.local/gateway"))))
                .isEqualTo("spiffe://logistics.local/gateway");
        assertThat(federated.getAcceptedIssuers()).containsExactlyInAnyOrder(ca.root(), logistics.root());
        assertThat(refusals.refusals).isEmpty();
    }

    @Test
    void checkWhenCertificateClaimsAFederatedDomainButOurCaSignedItThenUntrustedChain() {
        TestCa logistics = TestCa.create("logistics");
        svids.updateFederatedBundles(java.util.Map.of("logistics.local", logistics.bundle()));
        SpiffeTrustManager federated = new SpiffeTrustManager(svids,
                SpiffeIdPolicy.oneOf("spiffe://logistics.local/gateway"), refusals, "server");

        assertThatThrownBy(() -> federated.check(chain(ca.issueFor("spiffe://logistics.local/gateway"))))
                .isInstanceOfSatisfying(PeerRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RefusalReason.UNTRUSTED_CHAIN));
    }

    @Test
    void checkWhenOurDomainsIdIsSignedByAFederatedCaThenUntrustedChain() {
        TestCa logistics = TestCa.create("logistics");
        svids.updateFederatedBundles(java.util.Map.of("logistics.local", logistics.bundle()));

        assertRefused(chain(logistics.issueFor(TestCa.TRUST_DOMAIN + "gateway")), RefusalReason.UNTRUSTED_CHAIN);
    }

    @Test
    void checkWhenPeerDomainHasNoBundleThenUntrustedChain() {
        TestCa logistics = TestCa.create("logistics");
        SpiffeTrustManager anyone = new SpiffeTrustManager(svids, SpiffeIdPolicy.matching(id -> true), refusals, "server");

        assertThatThrownBy(() -> anyone.check(chain(logistics.issueFor("spiffe://logistics.local/gateway"))))
                .isInstanceOfSatisfying(PeerRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RefusalReason.UNTRUSTED_CHAIN);
                    assertThat(e.getMessage()).contains("logistics.local");
                });
    }

    @Test
    void checkWhenFederationEndsThenThePeerIsRefused() throws Exception {
        TestCa logistics = TestCa.create("logistics");
        svids.updateFederatedBundles(java.util.Map.of("logistics.local", logistics.bundle()));
        SpiffeTrustManager anyone = new SpiffeTrustManager(svids, SpiffeIdPolicy.matching(id -> true), refusals, "server");
        X509Certificate[] peer = chain(logistics.issueFor("spiffe://logistics.local/delivery"));
        assertThat(anyone.check(peer)).isEqualTo("spiffe://logistics.local/delivery");

        svids.updateFederatedBundles(java.util.Map.of());

        assertThatThrownBy(() -> anyone.check(peer)).isInstanceOf(PeerRefusedException.class);
    }

    private void assertRefused(X509Certificate[] chain, RefusalReason reason) {
        refusals.refusals.clear();
        assertThatThrownBy(() -> trust.check(chain))
                .isInstanceOfSatisfying(PeerRefusedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageStartingWith(reason.code() + ": ");
        assertThat(refusals.refusals).containsExactly(new Refusal(reason, null));
    }
}
