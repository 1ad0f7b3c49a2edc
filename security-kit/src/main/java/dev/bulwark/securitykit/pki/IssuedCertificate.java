package dev.bulwark.securitykit.pki;

import dev.bulwark.securitykit.PrivateFiles;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate issued by {@link LocalCa}, with the private key that goes with it.
 *
 * @param certificate the leaf certificate
 * @param issuer the certificate of the CA that signed it
 * @param privateKey the leaf's private key
 */
public record IssuedCertificate(X509Certificate certificate, X509Certificate issuer, PrivateKey privateKey) {

    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /**
     * Writes the chain (leaf first, then the issuer) and the PKCS#8 private key (mode 0600) as PEM,
     * the form Spring Boot's PEM SSL bundles read.
     */
    public void writeTo(Path certificateChainPem, Path privateKeyPem) {
        PrivateFiles.writePublicString(certificateChainPem, Pem.encode(certificate) + Pem.encode(issuer));
        PrivateFiles.writeString(privateKeyPem, Pem.encode(privateKey));
    }

    @Override
    public String toString() {
        return "IssuedCertificate[subject=" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
