package dev.bulwark.securitykit.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * One CRL download (RFC 5280 §5) for {@link OcspCrlRevocationChecker}: the CRL must be issued by the
 * certificate's issuer's name, signed with its key, have a {@code nextUpdate}, and be current.
 */
final class CrlClient {

    private final RevocationSettings settings;
    private final RevocationFetcher fetcher;
    private final Clock clock;

    CrlClient(RevocationSettings settings, RevocationFetcher fetcher, Clock clock) {
        this.settings = settings;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /**
     * Fetches the CRL at {@code url} within {@code budget} and checks it.
     *
     * @throws IOException when it cannot be had, or is not a current CRL signed by {@code issuer}
     */
    X509CRL fetch(URI url, X509Certificate issuer, Duration budget) throws IOException, GeneralSecurityException {
        Instant now = clock.instant();
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
        return crl;
    }
}
