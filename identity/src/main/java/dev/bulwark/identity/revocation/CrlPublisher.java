package dev.bulwark.identity.revocation;

import dev.bulwark.identity.ca.Authority;
import dev.bulwark.identity.ca.WorkloadCa;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;

/**
 * Builds X.509 v2 CRLs (RFC 5280 §5), one per intermediate, signed by that intermediate, with
 * thisUpdate, nextUpdate, a CRL number and the authority key identifier.
 */
public final class CrlPublisher {

    /** How long a CRL is current, unless configured. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofMinutes(10);

    private final WorkloadCa ca;
    private final RevocationStore store;
    private final Duration validity;
    private final Clock clock;
    private final AtomicLong lastNumber;

    public CrlPublisher(WorkloadCa ca, RevocationStore store, Duration validity, Clock clock) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.store = Objects.requireNonNull(store, "store");
        this.validity = Objects.requireNonNull(validity, "validity");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("crl validity: " + validity + " (expected: positive)");
        }
        // numbers start from the clock so that a restarted publisher keeps them increasing (RFC 5280 §5.2.3)
        this.lastNumber = new AtomicLong(clock.millis());
    }

    /** The CRL of the intermediate that signs new SVIDs. */
    public X509CRL activeCrl() {
        return crl(ca.activeIntermediate());
    }

    /** The CRL of the intermediate whose key id ({@link Authority#keyId()}) is given, if it is current. */
    public Optional<X509CRL> crl(String keyId) {
        return ca.intermediates().stream().filter(i -> i.keyId().equals(keyId)).findFirst().map(this::crl);
    }

    /** A fresh CRL for {@code issuer}. */
    public X509CRL crl(Authority issuer) {
        Instant now = clock.instant();
        long millis = now.toEpochMilli();
        long number = lastNumber.updateAndGet(last -> Math.max(last + 1, millis));
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(issuer.certificate(), Date.from(now))
                    .setNextUpdate(Date.from(now.plus(validity)))
                    .addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.certificate()));
            for (Revocation r : store.revokedBy(issuer.certificate().getSubjectX500Principal())) {
                builder.addCRLEntry(r.serialNumber(), Date.from(r.revokedAt()), r.reason().code());
            }
            return new JcaX509CRLConverter().getCRL(builder.build(issuer.contentSigner()));
        } catch (CertIOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the CRL of " + issuer, e);
        }
    }
}
