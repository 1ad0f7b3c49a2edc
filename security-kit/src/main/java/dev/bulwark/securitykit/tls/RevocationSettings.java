package dev.bulwark.securitykit.tls;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link OcspCrlRevocationChecker}; every default is here.
 *
 * @param totalTimeout the bound on one chain's check, OCSP and CRL fetches together (default 2 s);
 *     when no source has answered within it the peer is refused ({@code revocation_unknown})
 * @param ocspTimeout the share of {@code totalTimeout} OCSP may use before the CRL is tried (default 1 s)
 * @param maxCacheAge the longest an answer is reused, even if its nextUpdate is later (default 5 min)
 * @param maxCacheEntries the bound on cached OCSP answers and on cached CRLs, each (default 10 000)
 * @param clockSkew tolerated skew on thisUpdate/nextUpdate (default 30 s)
 * @param leafWithoutPointers what to do with a leaf that has neither an OCSP AIA URL nor a CRL
 *     distribution point (default {@link MissingPointers#REFUSE}: fail closed)
 * @param caWithoutPointers the same for an intermediate CA certificate. Default {@link
 *     MissingPointers#ALLOW}: Bulwark's workload CA puts no pointers in its intermediates (an
 *     intermediate is withdrawn by CA rotation and bundle changes, not by a CRL of the root)
 * @param sendNonce whether OCSP requests carry a nonce (RFC 8954) that the response must echo (default true)
 */
public record RevocationSettings(Duration totalTimeout, Duration ocspTimeout, Duration maxCacheAge,
        int maxCacheEntries, Duration clockSkew, MissingPointers leafWithoutPointers,
        MissingPointers caWithoutPointers, boolean sendNonce) {

    /** What to do with a certificate that names no OCSP responder and no CRL. */
    public enum MissingPointers {
        /** Refuse the peer as {@code revocation_unknown}. */
        REFUSE,
        /** Treat the certificate as not revoked (an explicit opt-out). */
        ALLOW
    }

    public RevocationSettings {
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        Objects.requireNonNull(ocspTimeout, "ocspTimeout");
        Objects.requireNonNull(maxCacheAge, "maxCacheAge");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(leafWithoutPointers, "leafWithoutPointers");
        Objects.requireNonNull(caWithoutPointers, "caWithoutPointers");
        if (totalTimeout.isNegative() || totalTimeout.isZero()) {
            throw new IllegalArgumentException("totalTimeout: " + totalTimeout + " (expected: > 0)");
        }
        if (ocspTimeout.isNegative() || ocspTimeout.isZero() || ocspTimeout.compareTo(totalTimeout) > 0) {
            throw new IllegalArgumentException("ocspTimeout: " + ocspTimeout + " (expected: > 0 and <= totalTimeout)");
        }
        if (maxCacheAge.isNegative()) {
            throw new IllegalArgumentException("maxCacheAge: " + maxCacheAge + " (expected: >= 0)");
        }
        if (maxCacheEntries < 1) {
            throw new IllegalArgumentException("maxCacheEntries: " + maxCacheEntries + " (expected: >= 1)");
        }
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clockSkew: " + clockSkew + " (expected: >= 0)");
        }
    }

    /** 2 s in all (1 s for OCSP), cache up to 5 min and 10 000 entries, 30 s skew, fail closed, nonce on. */
    public static RevocationSettings defaults() {
        return new RevocationSettings(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(5), 10_000,
                Duration.ofSeconds(30), MissingPointers.REFUSE, MissingPointers.ALLOW, true);
    }

    public RevocationSettings withTimeouts(Duration total, Duration ocsp) {
        return new RevocationSettings(total, ocsp, maxCacheAge, maxCacheEntries, clockSkew, leafWithoutPointers,
                caWithoutPointers, sendNonce);
    }

    public RevocationSettings withMaxCacheAge(Duration age) {
        return new RevocationSettings(totalTimeout, ocspTimeout, age, maxCacheEntries, clockSkew, leafWithoutPointers,
                caWithoutPointers, sendNonce);
    }

    public RevocationSettings withMaxCacheEntries(int entries) {
        return new RevocationSettings(totalTimeout, ocspTimeout, maxCacheAge, entries, clockSkew, leafWithoutPointers,
                caWithoutPointers, sendNonce);
    }

    public RevocationSettings withoutPointers(MissingPointers leaf, MissingPointers ca) {
        return new RevocationSettings(totalTimeout, ocspTimeout, maxCacheAge, maxCacheEntries, clockSkew, leaf, ca,
                sendNonce);
    }

    public RevocationSettings withNonce(boolean send) {
        return new RevocationSettings(totalTimeout, ocspTimeout, maxCacheAge, maxCacheEntries, clockSkew,
                leafWithoutPointers, caWithoutPointers, send);
    }
}
