package dev.bulwark.identity.ca;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA certificate of the workload CA (a root or an intermediate) with the power to sign as it. The
 * private key never leaves this object: other packages (CRL, OCSP) get a {@link ContentSigner}.
 */
public final class Authority {

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final String keyId;

    Authority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.keyId = HexFormat.of().formatHex(
                CaCertificates.extensionUtils().createSubjectKeyIdentifier(certificate.getPublicKey()).getKeyIdentifier());
    }

    /** The CA certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate in BouncyCastle's form. */
    public X509CertificateHolder certificateHolder() {
        try {
            return new X509CertificateHolder(certificate.getEncoded());
        } catch (CertificateEncodingException | java.io.IOException e) {
            throw new IllegalStateException("cannot encode the CA certificate", e);
        }
    }

    /** The subject key identifier (RFC 5280 §4.2.1.2, SHA-1 of the public key) in lower-case hex. */
    public String keyId() {
        return keyId;
    }

    /** The subject key identifier as an extension value. */
    SubjectKeyIdentifier subjectKeyIdentifier() {
        return new SubjectKeyIdentifier(HexFormat.of().parseHex(keyId));
    }

    /** When the CA certificate expires. */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** A fresh signer (SHA256withECDSA) with this CA's key, for a certificate, a CRL or an OCSP response. */
    public ContentSigner contentSigner() {
        try {
            return new JcaContentSignerBuilder("SHA256withECDSA").build(privateKey);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with the CA key", e);
        }
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Authority that && certificate.equals(that.certificate);
    }

    @Override
    public int hashCode() {
        return certificate.hashCode();
    }

    @Override
    public String toString() {
        return "Authority[subject=" + certificate.getSubjectX500Principal().getName() + ", keyId=" + keyId + "]";
    }
}
