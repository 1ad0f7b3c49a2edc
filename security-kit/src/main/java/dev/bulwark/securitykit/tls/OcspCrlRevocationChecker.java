package dev.bulwark.securitykit.tls;

import dev.bulwark.securitykit.tls.RevocationChecker.Status;
import dev.bulwark.securitykit.tls.RevocationChecker.Verdict;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
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

    private record CachedStatus(Status status, Instant until, String source) {
    }

    private record CachedCrl(X509CRL crl, Instant until) {
    }

    private record OcspKey(String issuerKeyHash, BigInteger serial) {
    }

    private final RevocationSettings settings;
    private final Clock clock;
    private final OcspClient ocsp;
    private final CrlClient crls;
    private final DigestCalculatorProvider digests;
    private final Map<OcspKey, CachedStatus> statuses = new ConcurrentHashMap<>();
    private final Map<URI, CachedCrl> crlCache = new ConcurrentHashMap<>();

    public OcspCrlRevocationChecker(RevocationSettings settings, RevocationFetcher fetcher, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ocsp = new OcspClient(settings, Objects.requireNonNull(fetcher, "fetcher"), clock);
        this.crls = new CrlClient(settings, fetcher, clock);
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
        Optional<URI> ocspUrl = RevocationPointers.ocspUrl(certificate);
        Optional<URI> crlUrl = RevocationPointers.crlUrl(certificate);
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
                OcspClient.Answer answer = ocsp.query(ocspUrl.get(), id, certificate, issuer, budget);
                if (answer.nextUpdate() != null) {
                    put(statuses, key, new CachedStatus(answer.status(),
                            min(answer.nextUpdate(), now.plus(settings.maxCacheAge())), "ocsp"));
                }
                return verdict(answer.status(), serial, "ocsp");
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                failures.add("ocsp " + ocspUrl.get() + ": " + describe(e));
            }
        }
        if (crlUrl.isPresent()) {
            try {
                X509CRL crl = crl(crlUrl.get(), issuer, remaining(deadline));
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

    private X509CRL crl(URI url, X509Certificate issuer, Duration budget) throws IOException, GeneralSecurityException {
        Instant now = clock.instant();
        CachedCrl cached = crlCache.get(url);
        if (cached != null && now.isBefore(cached.until())
                && cached.crl().getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return cached.crl();
        }
        if (budget.isZero()) {
            throw new IOException("no time left");
        }
        X509CRL crl = crls.fetch(url, issuer, budget);
        put(crlCache, url, new CachedCrl(crl, min(crl.getNextUpdate().toInstant(), now.plus(settings.maxCacheAge()))));
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

}
