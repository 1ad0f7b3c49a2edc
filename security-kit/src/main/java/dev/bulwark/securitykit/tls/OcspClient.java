package dev.bulwark.securitykit.tls;

import dev.bulwark.securitykit.tls.RevocationChecker.Status;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.jspecify.annotations.Nullable;

/**
 * One OCSP query (RFC 6960) for {@link OcspCrlRevocationChecker}: a POST of a one-certificate request
 * with a random nonce (RFC 8954); the response must be {@code successful}, signed by the issuer or by a
 * responder certificate the issuer signed with EKU {@code id-kp-OCSPSigning}, echo the nonce, answer
 * for this CertID, with {@code thisUpdate} not in the future and {@code nextUpdate} not past.
 */
final class OcspClient {

    private static final int NONCE_BYTES = 16;

    /** A decided answer: {@code GOOD} or {@code REVOKED}, cacheable until {@code nextUpdate} if set. */
    record Answer(Status status, @Nullable Instant nextUpdate) {
    }

    private final RevocationSettings settings;
    private final RevocationFetcher fetcher;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    OcspClient(RevocationSettings settings, RevocationFetcher fetcher, Clock clock) {
        this.settings = settings;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /**
     * Asks the responder at {@code url} about {@code id} (the CertID of {@code certificate} under
     * {@code issuer}) within {@code budget}.
     *
     * @throws IOException when the answer is missing, unsigned, stale, about something else, or {@code unknown}
     */
    Answer query(URI url, CertificateID id, X509Certificate certificate, X509Certificate issuer, Duration budget)
            throws IOException, GeneralSecurityException {
        byte[] nonce = null;
        OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id);
        if (settings.sendNonce()) {
            nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            builder.setRequestExtensions(new Extensions(
                    new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce))));
        }
        byte[] request;
        try {
            request = builder.build().getEncoded();
        } catch (org.bouncycastle.cert.ocsp.OCSPException e) {
            throw new GeneralSecurityException("cannot build an OCSP request", e);
        }
        OCSPResp response = new OCSPResp(fetcher.fetch(url, request, budget));
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            throw new IOException("OCSP response status " + response.getStatus());
        }
        Object object;
        try {
            object = response.getResponseObject();
        } catch (org.bouncycastle.cert.ocsp.OCSPException e) {
            throw new IOException("unreadable OCSP response", e);
        }
        if (!(object instanceof BasicOCSPResp basic)) {
            throw new IOException("not a basic OCSP response");
        }
        verifyOcspSignature(basic, issuer);
        if (nonce != null) {
            Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (echoed == null || !Arrays.equals(nonceBytes(echoed), nonce)) {
                throw new IOException("OCSP nonce missing or different");
            }
        }
        SingleResp single = null;
        for (SingleResp candidate : basic.getResponses()) {
            if (candidate.getCertID().equals(id)) {
                single = candidate;
                break;
            }
        }
        if (single == null) {
            throw new IOException("OCSP response is not about serial " + certificate.getSerialNumber().toString(16));
        }
        Instant now = clock.instant();
        Instant thisUpdate = single.getThisUpdate().toInstant();
        Date nextUpdateDate = single.getNextUpdate();
        if (thisUpdate.isAfter(now.plus(settings.clockSkew()))) {
            throw new IOException("OCSP thisUpdate " + thisUpdate + " is in the future");
        }
        if (nextUpdateDate == null) {
            // RFC 6960 §4.2.2.1: newer information is always available; accept only a recent answer, don't cache
            if (thisUpdate.isBefore(now.minus(settings.maxCacheAge()).minus(settings.clockSkew()))) {
                throw new IOException("OCSP answer without nextUpdate is stale (thisUpdate " + thisUpdate + ")");
            }
        } else if (nextUpdateDate.toInstant().plus(settings.clockSkew()).isBefore(now)) {
            throw new IOException("OCSP nextUpdate " + nextUpdateDate.toInstant() + " has passed");
        }
        CertificateStatus status = single.getCertStatus();
        Status result;
        if (status == CertificateStatus.GOOD) {
            result = Status.GOOD;
        } else if (status instanceof RevokedStatus) {
            result = Status.REVOKED;
        } else {
            throw new IOException("OCSP status unknown");
        }
        return new Answer(result, nextUpdateDate == null ? null : nextUpdateDate.toInstant());
    }

    private static byte[] nonceBytes(Extension extension) {
        byte[] value = extension.getExtnValue().getOctets();
        try {
            // RFC 8954: the value is an OCTET STRING holding the nonce; some responders send it bare
            ASN1Primitive inner = ASN1Primitive.fromByteArray(value);
            if (inner instanceof ASN1OctetString octets) {
                return octets.getOctets();
            }
        } catch (IOException | RuntimeException e) {
            // not DER: the bare nonce
        }
        return value;
    }

    private void verifyOcspSignature(BasicOCSPResp basic, X509Certificate issuer)
            throws IOException, GeneralSecurityException {
        if (signedBy(basic, issuer)) {
            return;
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        Date now = Date.from(clock.instant());
        for (X509CertificateHolder holder : basic.getCerts()) {
            X509Certificate responder = converter.getCertificate(holder);
            if (!responder.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                continue;
            }
            try {
                responder.verify(issuer.getPublicKey());
                responder.checkValidity(now);
            } catch (GeneralSecurityException e) {
                continue;
            }
            List<String> eku = responder.getExtendedKeyUsage();
            if (eku != null && eku.contains(KeyPurposeId.id_kp_OCSPSigning.getId()) && signedBy(basic, responder)) {
                return;
            }
        }
        throw new IOException("OCSP response not signed by the issuer or a delegated responder of it");
    }

    private static boolean signedBy(BasicOCSPResp basic, X509Certificate signer) {
        try {
            return basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer.getPublicKey()));
        } catch (Exception e) {
            return false;
        }
    }
}
