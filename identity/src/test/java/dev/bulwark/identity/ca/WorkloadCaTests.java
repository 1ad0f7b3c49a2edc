package dev.bulwark.identity.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class WorkloadCaTests {

    private static final SpiffeId ORDER = SpiffeId.parse("spiffe://ecomm.local/order");

    private final WorkloadCa ca = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT));

    @Test
    void issueWhenValidCsrThenSvidFollowsX509SvidProfile() throws Exception {
        KeyPair keys = TestCsrs.p256();

        X509Svid svid = ca.issue(TestCsrs.csr(keys), ORDER, List.of("localhost"));

        X509Certificate leaf = svid.leaf();
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(6, "spiffe://ecomm.local/order"), List.of(2, "localhost"));
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getCriticalExtensionOIDs()).contains(Extension.keyUsage.getId(), Extension.basicConstraints.getId());
        assertThat(leaf.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false, false);
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getSerialNumber()).isPositive();
        assertThat(leaf.getSerialNumber().bitLength()).isGreaterThan(64);
        X509CertificateHolder holder = new X509CertificateHolder(leaf.getEncoded());
        byte[] intermediateSki = SubjectKeyIdentifier.fromExtensions(
                new X509CertificateHolder(svid.issuer().getEncoded()).getExtensions()).getKeyIdentifier();
        assertThat(AuthorityKeyIdentifier.fromExtensions(holder.getExtensions()).getKeyIdentifierOctets()).isEqualTo(intermediateSki);
        assertThat(SubjectKeyIdentifier.fromExtensions(holder.getExtensions())).isNotNull();
        assertThat(leaf.getNotAfter().toInstant()).isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(svid.chain()).containsExactly(leaf, ca.activeIntermediate().certificate());
        assertThat(ca.bundle()).hasSize(1);
        assertThat(ca.bundlePem()).startsWith("-----BEGIN CERTIFICATE-----");
        Chains.validate(svid.chain(), ca.bundle());
    }

    @Test
    void issueWhenCsrIgnoredFieldsThenNoSubjectFromCsr() {
        X509Svid svid = ca.issue(TestCsrs.csr(), ORDER, List.of());

        assertThat(svid.leaf().getSubjectX500Principal().getName()).doesNotContain("workload");
    }

    @Test
    void issueWhenCsrKeyMismatchThenRefused() {
        KeyPair claimed = TestCsrs.p256();
        KeyPair signer = TestCsrs.p256();
        PKCS10CertificationRequest forged = TestCsrs.csr(claimed.getPublic(), signer.getPrivate(), "SHA256withECDSA");

        assertThatThrownBy(() -> ca.issue(forged, ORDER, List.of()))
                .isInstanceOf(CsrRejectedException.class)
                .hasMessage("CSR signature: invalid (expected: a signature by the CSR's own key)");
    }

    @Test
    void issueWhenCsrKeyNotP256ThenRefused() {
        PKCS10CertificationRequest p384 = TestCsrs.csr(TestCsrs.ecKeyPair("secp384r1"));

        assertThatThrownBy(() -> ca.issue(p384, ORDER, List.of()))
                .isInstanceOf(CsrRejectedException.class)
                .hasMessageContaining("on 1.3.132.0.34 (expected: an EC P-256 key");
    }

    @Test
    void issueWhenSpiffeIdOfAnotherTrustDomainThenRefused() {
        assertThatThrownBy(() -> ca.issue(TestCsrs.csr(), SpiffeId.parse("spiffe://evil.local/order"), List.of()))
                .isInstanceOf(CsrRejectedException.class)
                .hasMessage("SPIFFE ID: spiffe://evil.local/order (expected: a member of ecomm.local)");
    }

    @Test
    void issueWhenTrustDomainIdThenRefused() {
        assertThatThrownBy(() -> ca.issue(TestCsrs.csr(), TrustDomain.DEFAULT.id(), List.of()))
                .isInstanceOf(CsrRejectedException.class);
    }

    @Test
    void issueWhenWildcardDnsNameThenRefused() {
        assertThatThrownBy(() -> ca.issue(TestCsrs.csr(), ORDER, List.of("*.ecomm.local")))
                .isInstanceOf(CsrRejectedException.class)
                .hasMessage("DNS name: *.ecomm.local (expected: a host name, no wildcard)");
    }

    @Test
    void issueWhenLifetimeSecondsThenExpiresInSeconds() {
        X509Svid svid = ca.issue(TestCsrs.csr(), ORDER, List.of(), Duration.ofSeconds(5));

        assertThat(svid.leaf().getNotAfter().toInstant()).isBetween(Instant.now().plusSeconds(3), Instant.now().plusSeconds(6));
    }

    @Test
    void issueWhenLifetimeBeyondIntermediateThenCappedAtIntermediateExpiry() {
        WorkloadCa shortCa = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT)
                .withIntermediateLifetime(Duration.ofHours(2)));

        X509Svid svid = shortCa.issue(TestCsrs.csr(), ORDER, List.of(), Duration.ofHours(5));

        assertThat(svid.leaf().getNotAfter()).isEqualTo(svid.issuer().getNotAfter());
    }

    @Test
    void issueWhenRevocationUrlsConfiguredThenAiaAndCrlDistributionPoint() throws Exception {
        WorkloadCa withUrls = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT)
                .withRevocationUrls(URI.create("http://127.0.0.1:8899"), URI.create("http://127.0.0.1:8899/crl/")));

        X509Certificate leaf = withUrls.issue(TestCsrs.csr(), ORDER, List.of()).leaf();

        Extensions extensions = new X509CertificateHolder(leaf.getEncoded()).getExtensions();
        AccessDescription ocsp = AuthorityInformationAccess.fromExtensions(extensions).getAccessDescriptions()[0];
        assertThat(ocsp.getAccessMethod()).isEqualTo(AccessDescription.id_ad_ocsp);
        assertThat(ocsp.getAccessLocation().getName().toString()).isEqualTo("http://127.0.0.1:8899");
        DistributionPoint crl = CRLDistPoint.fromExtensions(extensions).getDistributionPoints()[0];
        assertThat(GeneralNames.getInstance(crl.getDistributionPoint().getName()).getNames()[0].getName().toString())
                .isEqualTo("http://127.0.0.1:8899/crl/" + withUrls.activeIntermediate().keyId());
    }

    @Test
    void issueWhenNoRevocationUrlsThenNoAiaNorCrlDistributionPoint() {
        X509Certificate leaf = ca.issue(TestCsrs.csr(), ORDER, List.of()).leaf();

        assertThat(leaf.getExtensionValue(Extension.authorityInfoAccess.getId())).isNull();
        assertThat(leaf.getExtensionValue(Extension.cRLDistributionPoints.getId())).isNull();
    }

    @Test
    void createWhenNameConstraintsThenIntermediateConstrainedAndChainValid() throws Exception {
        WorkloadCa constrained = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT).withNameConstraints(true));

        X509Svid svid = constrained.issue(TestCsrs.csr(), ORDER, List.of("localhost"));

        X509Certificate intermediate = constrained.activeIntermediate().certificate();
        assertThat(intermediate.getCriticalExtensionOIDs()).contains(Extension.nameConstraints.getId());
        NameConstraints nc = NameConstraints.getInstance(
                new X509CertificateHolder(intermediate.getEncoded()).getExtension(Extension.nameConstraints).getParsedValue());
        assertThat(nc.getPermittedSubtrees()[0].getBase().getName().toString()).isEqualTo("ecomm.local");
        assertThat(intermediate.getBasicConstraints()).isZero();
        Chains.validate(svid.chain(), constrained.bundle());
    }

    @Test
    void rotateIntermediateWhenOverlapThenOldAndNewSvidsBothValid() throws Exception {
        X509Svid before = ca.issue(TestCsrs.csr(), ORDER, List.of());
        Authority old = ca.activeIntermediate();

        Authority next = ca.rotateIntermediate();
        X509Svid after = ca.issue(TestCsrs.csr(), ORDER, List.of());

        assertThat(next).isNotEqualTo(old);
        assertThat(after.issuer()).isEqualTo(next.certificate());
        assertThat(ca.intermediates()).containsExactly(old, next);
        assertThat(ca.bundle()).hasSize(1);
        Chains.validate(before.chain(), ca.bundle());
        Chains.validate(after.chain(), ca.bundle());

        ca.retireIntermediate(old);

        assertThat(ca.intermediates()).containsExactly(next);
    }

    @Test
    void changeListenersAreCalledOnEveryChangeOfSignerOrBundleUntilRemoved() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Runnable listener = calls::incrementAndGet;
        ca.addChangeListener(() -> {
            throw new IllegalStateException("a broken listener does not stop the others");
        });
        ca.addChangeListener(listener);
        X509Certificate oldRoot = ca.bundle().getFirst();
        Authority oldIntermediate = ca.activeIntermediate();

        ca.rotateIntermediate();
        ca.retireIntermediate(oldIntermediate);   // neither the signer nor the bundle changes
        ca.prepareRoot();
        ca.activateRoot();
        ca.retireRoot(oldRoot);

        assertThat(calls).hasValue(4);
        ca.removeChangeListener(listener);
        ca.rotateIntermediate();
        assertThat(calls).hasValue(4);
    }

    @Test
    void retireIntermediateWhenActiveThenRefused() {
        assertThatThrownBy(() -> ca.retireIntermediate(ca.activeIntermediate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(expected: not the active one)");
    }

    @Test
    void rotateRootWhenOverlapThenBundleHasBothRootsAndOldSvidsValidUntilRetired() throws Exception {
        X509Certificate oldRoot = ca.bundle().getFirst();
        X509Svid before = ca.issue(TestCsrs.csr(), ORDER, List.of());

        Authority newRoot = ca.prepareRoot();

        assertThat(ca.bundle()).containsExactly(oldRoot, newRoot.certificate());
        assertThat(ca.issue(TestCsrs.csr(), ORDER, List.of()).issuer().getIssuerX500Principal())
                .isEqualTo(oldRoot.getSubjectX500Principal());

        Authority newIntermediate = ca.activateRoot();
        X509Svid after = ca.issue(TestCsrs.csr(), ORDER, List.of());

        assertThat(ca.bundle()).containsExactly(newRoot.certificate(), oldRoot);
        assertThat(after.issuer()).isEqualTo(newIntermediate.certificate());
        Chains.validate(before.chain(), ca.bundle());
        Chains.validate(after.chain(), ca.bundle());

        ca.retireRoot(oldRoot);

        assertThat(ca.bundle()).containsExactly(newRoot.certificate());
        assertThat(ca.intermediates()).containsExactly(newIntermediate);
        assertThatThrownBy(() -> Chains.validate(before.chain(), ca.bundle())).isInstanceOf(CertPathValidatorException.class);
        Chains.validate(after.chain(), ca.bundle());
    }

    @Test
    void activateRootWhenNonePreparedThenRefused() {
        assertThatThrownBy(ca::activateRoot).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void retireRootWhenActiveThenRefused() {
        assertThatThrownBy(() -> ca.retireRoot(ca.bundle().getFirst()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(expected: neither the active nor the prepared root)");
    }

    @Test
    void createWhenRootThenPathLenAllowsOneIntermediate() {
        X509Certificate root = ca.bundle().getFirst();

        assertThat(root.getBasicConstraints()).isEqualTo(1);
        assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
        assertThatCode(() -> root.verify(root.getPublicKey())).doesNotThrowAnyException();
    }
}
