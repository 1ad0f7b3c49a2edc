package dev.bulwark.identity.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.bulwark.identity.ca.Authority;
import dev.bulwark.identity.ca.TestCsrs;
import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.ca.WorkloadCaSettings;
import dev.bulwark.identity.ca.X509Svid;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;

class CrlPublisherTests {

    private static final SpiffeId ORDER = SpiffeId.parse("spiffe://ecomm.local/order");

    private final WorkloadCa ca = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT));
    private final RevocationStore store = RevocationStore.inMemory();
    private final CrlPublisher publisher = new CrlPublisher(ca, store, Duration.ofMinutes(10), Clock.systemUTC());

    @Test
    void crlWhenRevokedThenListsSerialAndIsSignedByIntermediate() throws Exception {
        X509Svid revoked = ca.issue(TestCsrs.csr(), ORDER, List.of());
        X509Svid valid = ca.issue(TestCsrs.csr(), ORDER, List.of());
        store.revoke(revoked.leaf(), RevocationReason.KEY_COMPROMISE, Instant.now());

        X509CRL crl = publisher.activeCrl();

        assertThatCode(() -> crl.verify(revoked.issuer().getPublicKey())).doesNotThrowAnyException();
        assertThat(crl.getIssuerX500Principal()).isEqualTo(revoked.issuer().getSubjectX500Principal());
        assertThat(crl.getRevokedCertificate(revoked.serialNumber())).isNotNull();
        assertThat(crl.isRevoked(valid.leaf())).isFalse();
        assertThat(crl.isRevoked(revoked.leaf())).isTrue();
        assertThat(crl.getNextUpdate().toInstant()).isAfter(crl.getThisUpdate().toInstant().plus(Duration.ofMinutes(9)));
        assertThat(crl.getExtensionValue(Extension.authorityKeyIdentifier.getId())).isNotNull();
    }

    @Test
    void crlWhenPublishedTwiceThenCrlNumberIncreases() {
        BigInteger first = crlNumber(publisher.activeCrl());
        BigInteger second = crlNumber(publisher.activeCrl());

        assertThat(second).isGreaterThan(first);
    }

    @Test
    void crlWhenTwoIntermediatesThenEachListsOnlyItsOwn() {
        X509Svid old = ca.issue(TestCsrs.csr(), ORDER, List.of());
        Authority oldIntermediate = ca.activeIntermediate();
        ca.rotateIntermediate();
        X509Svid current = ca.issue(TestCsrs.csr(), ORDER, List.of());
        store.revoke(old.leaf(), RevocationReason.SUPERSEDED, Instant.now());
        store.revoke(current.leaf(), RevocationReason.SUPERSEDED, Instant.now());

        X509CRL oldCrl = publisher.crl(oldIntermediate.keyId()).orElseThrow();
        X509CRL activeCrl = publisher.activeCrl();

        assertThat(oldCrl.getRevokedCertificates()).hasSize(1);
        assertThat(oldCrl.isRevoked(old.leaf())).isTrue();
        assertThat(activeCrl.getRevokedCertificates()).hasSize(1);
        assertThat(activeCrl.isRevoked(current.leaf())).isTrue();
        assertThat(publisher.crl("00".repeat(20))).isEmpty();
    }

    @Test
    void revokeWhenAlreadyRevokedThenFirstRecordKept() {
        X509Svid svid = ca.issue(TestCsrs.csr(), ORDER, List.of());
        Instant first = Instant.parse("2026-01-01T00:00:00Z");

        assertThat(store.revoke(svid.leaf(), RevocationReason.KEY_COMPROMISE, first)).isTrue();
        assertThat(store.revoke(svid.leaf(), RevocationReason.SUPERSEDED, Instant.now())).isFalse();

        assertThat(store.find(svid.issuer().getSubjectX500Principal(), svid.serialNumber()).orElseThrow())
                .extracting(Revocation::revokedAt, Revocation::reason)
                .containsExactly(first, RevocationReason.KEY_COMPROMISE);
    }

    private static BigInteger crlNumber(X509CRL crl) {
        byte[] value = crl.getExtensionValue(Extension.cRLNumber.getId());
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(value).getOctets()).getValue();
    }
}
