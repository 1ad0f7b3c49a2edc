package dev.bulwark.identity.revocation;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/** Where revocations are kept. The embedded default is in memory; a database-backed one comes later. */
public interface RevocationStore {

    /** An empty store in memory, safe for concurrent use. */
    static RevocationStore inMemory() {
        return new InMemoryRevocationStore();
    }

    /**
     * Records a revocation; revoking an already revoked certificate keeps the first record.
     *
     * @return true when the certificate was not revoked before
     */
    boolean revoke(Revocation revocation);

    /** Revokes {@code certificate} now-ish ({@code at}) for {@code reason}. */
    default boolean revoke(X509Certificate certificate, RevocationReason reason, Instant at) {
        return revoke(new Revocation(certificate.getIssuerX500Principal(), certificate.getSerialNumber(), at, reason));
    }

    /** The revocation of the certificate {@code serialNumber} of {@code issuer}, if it is revoked. */
    Optional<Revocation> find(X500Principal issuer, BigInteger serialNumber);

    /** Every revocation of certificates of {@code issuer}, the oldest first. */
    List<Revocation> revokedBy(X500Principal issuer);
}
