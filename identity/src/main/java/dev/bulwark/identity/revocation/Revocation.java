package dev.bulwark.identity.revocation;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * One revoked certificate, named as RFC 5280 names it: issuer and serial number.
 *
 * @param issuer the issuing CA's subject name
 * @param serialNumber the certificate's serial number
 * @param revokedAt when it was revoked
 * @param reason why
 */
public record Revocation(X500Principal issuer, BigInteger serialNumber, Instant revokedAt, RevocationReason reason) {

    public Revocation {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(reason, "reason");
        if (serialNumber.signum() <= 0) {
            throw new IllegalArgumentException("serial number: " + serialNumber + " (expected: positive)");
        }
    }
}
