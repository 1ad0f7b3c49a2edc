package dev.bulwark.identity.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** CSRs as a workload makes them: its own key pair, a self-signed request. */
public final class TestCsrs {

    private TestCsrs() {
    }

    public static KeyPair ecKeyPair(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair p256() {
        return ecKeyPair("secp256r1");
    }

    /** A CSR for {@code keys}, signed by them. */
    public static PKCS10CertificationRequest csr(KeyPair keys) {
        return csr(keys.getPublic(), keys.getPrivate(), "SHA256withECDSA");
    }

    /** A CSR for a fresh P-256 key. */
    public static PKCS10CertificationRequest csr() {
        return csr(p256());
    }

    /** A CSR carrying {@code publicKey} but signed by {@code signingKey}: when they differ, a forgery. */
    public static PKCS10CertificationRequest csr(PublicKey publicKey, PrivateKey signingKey, String algorithm) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=workload"), publicKey)
                    .build(new JcaContentSignerBuilder(algorithm).build(signingKey));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
