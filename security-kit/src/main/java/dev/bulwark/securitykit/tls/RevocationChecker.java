package dev.bulwark.securitykit.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Checks whether the certificates of a peer's chain are revoked. {@link SpiffeTrustManager} calls it
 * after the chain has validated against the bundle (and the SPIFFE ID was accepted); a {@code REVOKED}
 * verdict refuses the peer as {@code revoked}, an {@code UNKNOWN} one as {@code revocation_unknown}
 * (fail closed). The default is {@link OcspCrlRevocationChecker}: OCSP (RFC 6960) with a cache and a
 * CRL (RFC 5280 §5) fallback.
 */
@FunctionalInterface
public interface RevocationChecker {

    /** What a check found. */
    enum Status { GOOD, REVOKED, UNKNOWN }

    /** The verdict on a whole chain: the first certificate that is not {@code GOOD} decides. */
    record Verdict(Status status, String detail) {
        public Verdict {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
        }

        static Verdict good() {
            return new Verdict(Status.GOOD, "");
        }
    }

    /**
     * @param path the validated chain, leaf first, ending with the trust anchor (a root of the bundle);
     *     every certificate but the anchor is checked, each against the one after it as issuer
     * @return {@code GOOD} only if every checked certificate is known not to be revoked
     */
    Verdict check(List<X509Certificate> path);
}
