package dev.bulwark.identity.revocation;

import dev.bulwark.identity.ca.Authority;
import dev.bulwark.identity.ca.WorkloadCa;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OCSP responder (RFC 6960). Each response is signed by the intermediate that issued the
 * certificates asked about (so no delegated responder certificate is needed, §4.2.2.2), carries the
 * intermediate for the client to build the chain, sets thisUpdate and nextUpdate, and echoes the
 * request's nonce (§4.4.1).
 *
 * <p>Status: {@code revoked} when the store holds the serial; {@code good} otherwise (RFC 6960 §2.2
 * allows "not revoked"); {@code unknown} for a certificate of another issuer in a request that names
 * several. A request about an issuer this CA does not hold gets {@code unauthorized}; an unparsable one
 * gets {@code malformedRequest}.
 */
public final class OcspResponder {

    /** How long a response is current, unless configured. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(OcspResponder.class);

    private final WorkloadCa ca;
    private final RevocationStore store;
    private final Duration validity;
    private final Clock clock;
    private final DigestCalculatorProvider digests;

    public OcspResponder(WorkloadCa ca, RevocationStore store, Duration validity, Clock clock) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.store = Objects.requireNonNull(store, "store");
        this.validity = Objects.requireNonNull(validity, "validity");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("ocsp validity: " + validity + " (expected: positive)");
        }
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no digest provider", e);
        }
    }

    /** Answers a DER-encoded OCSPRequest with a DER-encoded OCSPResponse; never throws for bad input. */
    public byte[] respond(byte[] requestDer) {
        Objects.requireNonNull(requestDer, "requestDer");
        try {
            return respond(new OCSPReq(requestDer)).getEncoded();
        } catch (IOException | RuntimeException e) {
            log.info("event=ocsp.malformed_request bytes={}", requestDer.length);
            return encodedStatus(OCSPRespBuilder.MALFORMED_REQUEST);
        }
    }

    /** Answers a parsed request. */
    public OCSPResp respond(OCSPReq request) {
        Req[] entries = request.getRequestList();
        if (entries.length == 0) {
            return statusResponse(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        Optional<Authority> signer = issuerOf(entries[0].getCertID());
        if (signer.isEmpty()) {
            log.info("event=ocsp.unauthorized serial={}", entries[0].getCertID().getSerialNumber().toString(16));
            return statusResponse(OCSPRespBuilder.UNAUTHORIZED);
        }
        Authority issuer = signer.get();
        X509CertificateHolder issuerHolder = issuer.certificateHolder();
        try {
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(issuerHolder.getSubjectPublicKeyInfo(),
                    digests.get(CertificateID.HASH_SHA1));
            Instant now = clock.instant();
            Date thisUpdate = Date.from(now);
            Date nextUpdate = Date.from(now.plus(validity));
            for (Req entry : entries) {
                CertificateID id = entry.getCertID();
                builder.addResponse(id, status(id, issuer, issuerHolder), thisUpdate, nextUpdate, null);
            }
            Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) {
                builder.setResponseExtensions(new Extensions(nonce));
            }
            BasicOCSPResp basic = builder.build(issuer.contentSigner(), new X509CertificateHolder[] {issuerHolder}, thisUpdate);
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic);
        } catch (OCSPException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build an OCSP response", e);
        }
    }

    private CertificateStatus status(CertificateID id, Authority issuer, X509CertificateHolder issuerHolder) throws OCSPException {
        if (!id.matchesIssuer(issuerHolder, digests)) {
            return new UnknownStatus();
        }
        return store.find(issuer.certificate().getSubjectX500Principal(), id.getSerialNumber())
                .<CertificateStatus>map(r -> new RevokedStatus(Date.from(r.revokedAt()), r.reason().code()))
                .orElse(CertificateStatus.GOOD);
    }

    private Optional<Authority> issuerOf(CertificateID id) {
        List<Authority> intermediates = ca.intermediates();
        for (Authority candidate : intermediates) {
            try {
                if (id.matchesIssuer(candidate.certificateHolder(), digests)) {
                    return Optional.of(candidate);
                }
            } catch (OCSPException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static byte[] encodedStatus(int status) {
        try {
            return statusResponse(status).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an OCSP status", e);
        }
    }

    private static OCSPResp statusResponse(int status) {
        try {
            return new OCSPRespBuilder().build(status, null);
        } catch (OCSPException e) {
            throw new IllegalStateException("cannot build an OCSP status", e);
        }
    }
}
