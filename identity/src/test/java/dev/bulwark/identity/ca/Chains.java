package dev.bulwark.identity.ca;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** RFC 5280 path validation with the JDK's PKIX validator, revocation checking off. */
final class Chains {

    private Chains() {
    }

    static void validate(List<X509Certificate> chain, List<X509Certificate> bundle) throws GeneralSecurityException {
        Set<TrustAnchor> anchors = bundle.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toSet());
        PKIXParameters parameters = new PKIXParameters(anchors);
        parameters.setRevocationEnabled(false);
        parameters.setDate(new Date());
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
    }
}
