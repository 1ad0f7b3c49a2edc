package dev.bulwark.securitykit.tls;

import dev.bulwark.securitykit.tls.RevocationChecker.Status;
import dev.bulwark.securitykit.tls.RevocationChecker.Verdict;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
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
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link RevocationChecker}: for every certificate of the path but the anchor,
 *
 * <ol>
 *   <li>a cached answer, if one is still fresh (until the answer's nextUpdate, at most {@link
 *       RevocationSettings#maxCacheAge()});
 *   <li>else OCSP (RFC 6960) at the certificate's AIA OCSP URL: a POST of a one-certificate request
 *       (SHA-1 CertID, a random nonce); the response must be {@code successful}, signed by the issuer
 *       or by a responder certificate the issuer signed with EKU {@code id-kp-OCSPSigning}, echo the
 *       nonce, answer for this CertID, with {@code thisUpdate} not in the future and {@code nextUpdate}
 *       not past (± {@link RevocationSettings#clockSkew()}). {@code good} and {@code revoked} decide;
 *       {@code unknown}, or any failure, goes on to the CRL;
 *   <li>else the CRL at the certificate's CRL distribution point: signed by the issuer, issued by its
 *       name, {@code nextUpdate} present and not past; cached until its nextUpdate (capped);
 *   <li>else {@code UNKNOWN}: the trust manager refuses (fail closed).
 * </ol>
 *
 * <p>All fetches of one {@link #check} share {@link RevocationSettings#totalTimeout()}; OCSP gets at most
 * {@link RevocationSettings#ocspTimeout()} of it. A certificate with neither pointer is decided by
 * {@link RevocationSettings#leafWithoutPointers()} / {@link RevocationSettings#caWithoutPointers()}.
 * Caches are bounded ({@link RevocationSettings#maxCacheEntries()} each): past it, expired entries go
 * first, then arbitrary ones. Thread-safe; the check runs on the handshake thread.
 */
public final class OcspCrlRevocationChecker implements RevocationChecker {

    private static final Logger log = LoggerFactory.getLogger(OcspCrlRevocationChecker.class);
    private static final int NONCE_BYTES = 16;

    private record CachedStatus(Status status, Instant until, String source) {
    }

    private record CachedCrl(X509CRL crl, Instant until) {
    }

    private record OcspKey(String issuerKeyHash, BigInteger serial) {
    }

    private final RevocationSettings settings;
    private final RevocationFetcher fetcher;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final DigestCalculatorProvider digests;
    private final Map<OcspKey, CachedStatus> statuses = new ConcurrentHashMap<>();
    private final Map<URI, CachedCrl> crls = new ConcurrentHashMap<>();

    public OcspCrlRevocationChecker(RevocationSettings settings, RevocationFetcher fetcher, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().build();
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("no digest provider", e);
        }
    }

    /** Over HTTP with the system clock. */
    public static OcspCrlRevocationChecker create(RevocationSettings settings) {
        return new OcspCrlRevocationChecker(settings, RevocationFetcher.http(), Clock.systemUTC());
    }

    /** With {@link RevocationSettings#defaults()}, over HTTP. */
    public static OcspCrlRevocationChecker create() {
        return create(RevocationSettings.defaults());
    }

    @Override
    public Verdict check(List<X509Certificate> path) {
        Objects.requireNonNull(path, "path");
        Instant deadline = clock.instant().plus(settings.totalTimeout());
        long started = System.nanoTime();
        for (int i = 0; i + 1 < path.size(); i++) {
            Verdict verdict = checkOne(path.get(i), path.get(i + 1), deadline, started);
            if (verdict.status() != Status.GOOD) {
                return verdict;
            }
        }
        return Verdict.good();
    }

    /** Number of cached OCSP answers (for tests and metrics). */
    public int cachedStatuses() {
        return statuses.size();
    }

    private Verdict checkOne(X509Certificate certificate, X509Certificate issuer, Instant deadline, long started) {
        String serial = certificate.getSerialNumber().toString(16);
        Instant now = clock.instant();
        CertificateID id;
        try {
            id = new CertificateID(digests.get(CertificateID.HASH_SHA1), new X509CertificateHolder(issuer.getEncoded()),
                    certificate.getSerialNumber());
        } catch (Exception e) {
            return new Verdict(Status.UNKNOWN, "serial " + serial + ": cannot build an OCSP CertID: " + e.getMessage());
        }
        OcspKey key = new OcspKey(java.util.HexFormat.of().formatHex(id.getIssuerKeyHash()), certificate.getSerialNumber());
        CachedStatus cached = statuses.get(key);
        if (cached != null && now.isBefore(cached.until())) {
            return verdict(cached.status(), serial, cached.source() + " (cached)");
        }
        Optional<URI> ocspUrl = ocspUrl(certificate);
        Optional<URI> crlUrl = crlUrl(certificate);
        if (ocspUrl.isEmpty() && crlUrl.isEmpty()) {
            RevocationSettings.MissingPointers policy = certificate.getBasicConstraints() == -1
                    ? settings.leafWithoutPointers() : settings.caWithoutPointers();
            return policy == RevocationSettings.MissingPointers.ALLOW ? Verdict.good()
                    : new Verdict(Status.UNKNOWN, "serial " + serial + ": neither an OCSP URL nor a CRL distribution point");
        }
        List<String> failures = new ArrayList<>();
        if (ocspUrl.isPresent()) {
            Duration budget = min(settings.ocspTimeout(), remaining(deadline));
            try {
                if (budget.isZero()) {
                    throw new IOException("no time left");
                }
                Status status = ocsp(ocspUrl.get(), id, certificate, issuer, budget, key);
                return verdict(status, serial, "ocsp");
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                failures.add("ocsp " + ocspUrl.get() + ": " + describe(e));
            }
        }
        if (crlUrl.isPresent()) {
            try {
                Duration budget = remaining(deadline);
                X509CRL crl = crl(crlUrl.get(), issuer, budget);
                Status status = crl.getRevokedCertificate(certificate) != null ? Status.REVOKED : Status.GOOD;
                return verdict(status, serial, "crl");
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                failures.add("crl " + crlUrl.get() + ": " + describe(e));
            }
        }
        log.info("event=tls.revocation_unknown serial={} elapsed_ms={} failures={}", serial,
                (System.nanoTime() - started) / 1_000_000, failures);
        return new Verdict(Status.UNKNOWN, "serial " + serial + ": " + String.join("; ", failures));
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static Verdict verdict(Status status, String serial, String source) {
        return status == Status.GOOD ? Verdict.good() : new Verdict(status, "serial " + serial + " (" + source + ")");
    }

    private Status ocsp(URI url, CertificateID id, X509Certificate certificate, X509Certificate issuer, Duration budget,
            OcspKey key) throws IOException, GeneralSecurityException {
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
        if (nextUpdateDate != null) {
            Instant until = min(nextUpdateDate.toInstant(), now.plus(settings.maxCacheAge()));
            put(statuses, key, new CachedStatus(result, until, "ocsp"));
        }
        return result;
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

    private X509CRL crl(URI url, X509Certificate issuer, Duration budget) throws IOException, GeneralSecurityException {
        Instant now = clock.instant();
        CachedCrl cached = crls.get(url);
        if (cached != null && now.isBefore(cached.until())
                && cached.crl().getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return cached.crl();
        }
        if (budget.isZero()) {
            throw new IOException("no time left");
        }
        byte[] bytes = fetcher.fetch(url, null, budget);
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes));
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new IOException("CRL issuer " + crl.getIssuerX500Principal() + " is not " + issuer.getSubjectX500Principal());
        }
        crl.verify(issuer.getPublicKey());
        if (crl.getThisUpdate().toInstant().isAfter(now.plus(settings.clockSkew()))) {
            throw new IOException("CRL thisUpdate is in the future");
        }
        Date nextUpdate = crl.getNextUpdate();
        if (nextUpdate == null) {
            throw new IOException("CRL has no nextUpdate");
        }
        if (nextUpdate.toInstant().plus(settings.clockSkew()).isBefore(now)) {
            throw new IOException("CRL nextUpdate " + nextUpdate.toInstant() + " has passed");
        }
        put(crls, url, new CachedCrl(crl, min(nextUpdate.toInstant(), now.plus(settings.maxCacheAge()))));
        return crl;
    }

    private <K, V> void put(Map<K, V> cache, K key, V value) {
        if (cache.size() >= settings.maxCacheEntries()) {
            Instant now = clock.instant();
            cache.values().removeIf(v -> !now.isBefore(v instanceof CachedStatus s ? s.until() : ((CachedCrl) v).until()));
            Iterator<K> keys = cache.keySet().iterator();
            while (cache.size() >= settings.maxCacheEntries() && keys.hasNext()) {
                keys.next();
                keys.remove();
            }
        }
        cache.put(key, value);
    }

    private Duration remaining(Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static Optional<URI> ocspUrl(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (value == null) {
            return Optional.empty();
        }
        try {
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                    ASN1OctetString.getInstance(value).getOctets());
            for (AccessDescription description : aia.getAccessDescriptions()) {
                if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                    Optional<URI> uri = uri(description.getAccessLocation());
                    if (uri.isPresent()) {
                        return uri;
                    }
                }
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static Optional<URI> crlUrl(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (value == null) {
            return Optional.empty();
        }
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(value).getOctets());
            for (DistributionPoint point : points.getDistributionPoints()) {
                DistributionPointName name = point.getDistributionPoint();
                if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                    for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
                        Optional<URI> uri = uri(general);
                        if (uri.isPresent()) {
                            return uri;
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<URI> uri(@Nullable GeneralName name) {
        if (name == null || name.getTagNo() != GeneralName.uniformResourceIdentifier) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(name.getName().toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
