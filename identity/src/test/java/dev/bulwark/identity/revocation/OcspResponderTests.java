package dev.bulwark.identity.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.identity.ca.TestCsrs;
import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.ca.WorkloadCaSettings;
import dev.bulwark.identity.ca.X509Svid;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;

class OcspResponderTests {

    private static final SpiffeId ORDER = SpiffeId.parse("spiffe://ecomm.local/order");

    private final WorkloadCa ca = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT));
    private final RevocationStore store = RevocationStore.inMemory();
    private final OcspResponder responder = new OcspResponder(ca, store, Duration.ofMinutes(5), Clock.systemUTC());

    @Test
    void respondWhenValidSvidThenGoodSignedByIssuingIntermediate() throws Exception {
        X509Svid svid = ca.issue(TestCsrs.csr(), ORDER, List.of());

        BasicOCSPResp basic = basic(responder.respond(OcspClients.request(svid.issuer(), svid.serialNumber(), new byte[0]).getEncoded()));

        SingleResp single = basic.getResponses()[0];
        assertThat(single.getCertStatus()).isEqualTo(CertificateStatus.GOOD);
        assertThat(single.getNextUpdate().toInstant()).isAfter(single.getThisUpdate().toInstant());
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(svid.issuer()))).isTrue();
        assertThat(basic.getCerts()[0].getEncoded()).isEqualTo(svid.issuer().getEncoded());
        assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)).isNull();
    }

    @Test
    void respondWhenRevokedThenRevokedWithTimeAndReason() throws Exception {
        X509Svid svid = ca.issue(TestCsrs.csr(), ORDER, List.of());
        Instant at = Instant.parse("2026-01-02T03:04:05Z");
        store.revoke(svid.leaf(), RevocationReason.KEY_COMPROMISE, at);

        SingleResp single = basic(responder.respond(
                OcspClients.request(svid.issuer(), svid.serialNumber(), new byte[0]).getEncoded())).getResponses()[0];

        assertThat(single.getCertStatus()).isInstanceOf(RevokedStatus.class);
        RevokedStatus revoked = (RevokedStatus) single.getCertStatus();
        assertThat(revoked.getRevocationTime().toInstant()).isEqualTo(at);
        assertThat(revoked.getRevocationReason()).isEqualTo(RevocationReason.KEY_COMPROMISE.code());
    }

    @Test
    void respondWhenNonceThenEchoed() throws Exception {
        X509Svid svid = ca.issue(TestCsrs.csr(), ORDER, List.of());
        byte[] nonce = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

        BasicOCSPResp basic = basic(responder.respond(OcspClients.request(svid.issuer(), svid.serialNumber(), nonce).getEncoded()));

        assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue())
                .isEqualTo(new DEROctetString(nonce));
    }

    @Test
    void respondWhenOldIntermediateAfterRotationThenSignedByOldIntermediate() throws Exception {
        X509Svid before = ca.issue(TestCsrs.csr(), ORDER, List.of());
        ca.rotateIntermediate();

        BasicOCSPResp basic = basic(responder.respond(
                OcspClients.request(before.issuer(), before.serialNumber(), new byte[0]).getEncoded()));

        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(before.issuer()))).isTrue();
        assertThat(basic.getResponses()[0].getCertStatus()).isEqualTo(CertificateStatus.GOOD);
    }

    @Test
    void respondWhenIssuerOfAnotherCaThenUnauthorized() throws Exception {
        X509Certificate foreign = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT)).activeIntermediate().certificate();

        OCSPResp response = new OCSPResp(responder.respond(OcspClients.request(foreign, BigInteger.TEN, new byte[0]).getEncoded()));

        assertThat(response.getStatus()).isEqualTo(OCSPRespBuilder.UNAUTHORIZED);
    }

    @Test
    void respondWhenSecondCertificateOfAnotherIssuerThenUnknownForIt() throws Exception {
        X509Svid svid = ca.issue(TestCsrs.csr(), ORDER, List.of());
        X509Certificate foreign = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT)).activeIntermediate().certificate();
        var request = new org.bouncycastle.cert.ocsp.OCSPReqBuilder()
                .addRequest(OcspClients.certificateId(svid.issuer(), svid.serialNumber()))
                .addRequest(OcspClients.certificateId(foreign, BigInteger.TEN))
                .build();

        SingleResp[] responses = basic(responder.respond(request.getEncoded())).getResponses();

        assertThat(responses[0].getCertStatus()).isEqualTo(CertificateStatus.GOOD);
        assertThat(responses[1].getCertStatus()).isInstanceOf(UnknownStatus.class);
    }

    @Test
    void respondWhenGarbageThenMalformedRequest() throws Exception {
        OCSPResp response = new OCSPResp(responder.respond(new byte[] {0x30, 0x03, 0x02, 0x01}));

        assertThat(response.getStatus()).isEqualTo(OCSPRespBuilder.MALFORMED_REQUEST);
    }

    private static BasicOCSPResp basic(byte[] der) throws Exception {
        OCSPResp response = new OCSPResp(der);
        assertThat(response.getStatus()).isEqualTo(OCSPRespBuilder.SUCCESSFUL);
        return (BasicOCSPResp) response.getResponseObject();
    }
}
