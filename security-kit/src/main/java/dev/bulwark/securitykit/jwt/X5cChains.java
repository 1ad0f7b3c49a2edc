package dev.bulwark.securitykit.jwt;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64;
import dev.bulwark.securitykit.jwt.TokenRefusedException.Reason;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.SvidSupplier;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validates the {@code x5c} chain of a JWS (RFC 7515 §4.1.6) as an X.509-SVID: PKIX (RFC 5280 §6) to
 * a root of the bundle of the leaf's trust domain (own or federated), the leaf not a CA and carrying
 * exactly one SPIFFE ID.
 */
final class X5cChains {

    private static final int MAX_CHAIN = 5;

    record Signer(String spiffeId, X509Certificate leaf) {
    }

    private X5cChains() {
    }

    static Signer validate(JWSHeader header, @Nullable SvidSupplier svids, Date now) {
        List<Base64> x5c = header.getX509CertChain();
        if (x5c == null || x5c.isEmpty()) {
            throw new TokenRefusedException(Reason.MALFORMED, "header x5c: none (expected: the signer's SVID chain)");
        }
        if (x5c.size() > MAX_CHAIN) {
            throw new TokenRefusedException(Reason.MALFORMED, "header x5c: " + x5c.size()
                    + " certificates (expected: at most " + MAX_CHAIN + ")");
        }
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Base64 encoded : x5c) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(encoded.decode())));
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TokenRefusedException(Reason.MALFORMED, "header x5c: not X.509 certificates (expected: base64 DER)");
        }
        X509Certificate leaf = chain.get(0);
        String spiffeId = SpiffeTls.spiffeIdOf(leaf).orElseThrow(() -> new TokenRefusedException(Reason.UNTRUSTED_CHAIN,
                "x5c leaf: no SPIFFE ID (expected: exactly one spiffe:// URI SAN)"));
        if (leaf.getBasicConstraints() != -1) {
            throw new TokenRefusedException(Reason.UNTRUSTED_CHAIN, "x5c leaf of " + spiffeId + " is a CA (expected: an SVID)");
        }
        if (svids == null) {
            throw new TokenRefusedException(Reason.UNTRUSTED_CHAIN, "signer " + spiffeId
                    + ": no trust bundles configured (expected: an SvidSupplier for x5c validation)");
        }
        String domain = SpiffeTls.trustDomainOf(spiffeId);
        String ownDomain = SpiffeTls.spiffeIdOf(svids.svid().leaf()).map(SpiffeTls::trustDomainOf).orElse(null);
        List<X509Certificate> bundle = domain.equals(ownDomain) ? svids.bundle() : svids.federatedBundles().get(domain);
        if (bundle == null || bundle.isEmpty()) {
            throw new TokenRefusedException(Reason.UNTRUSTED_CHAIN, "signer " + spiffeId + ": trust domain " + domain
                    + " (expected: " + ownDomain + " or a federated domain " + svids.federatedBundles().keySet() + ")");
        }
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1 && bundle.contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            bundle.forEach(root -> anchors.add(new TrustAnchor(root, null)));
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(now);
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
                    parameters);
        } catch (GeneralSecurityException e) {
            throw new TokenRefusedException(Reason.UNTRUSTED_CHAIN, "x5c chain of " + spiffeId
                    + " does not validate against the bundle of " + domain + ": " + e.getMessage());
        }
        return new Signer(spiffeId, leaf);
    }
}
