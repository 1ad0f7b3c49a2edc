package dev.bulwark.securitykit.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away EC P-256 root that signs X.509-SVIDs (leaf directly under the root) at test time. */
public final class TestCa {

    static final String TRUST_DOMAIN = "spiffe://ecomm.local/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate root;
    private final PrivateKey key;

    private TestCa(X509Certificate root, PrivateKey key) {
        this.root = root;
        this.key = key;
    }

    public static TestCa create(String name) {
        try {
            KeyPair keys = ecKeys();
            X500Name subject = new X500Name("CN=" + name);
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofDays(2))), Date.from(now.plus(Duration.ofDays(1))), subject,
                    keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TestCa(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate root() {
        return root;
    }

    public List<X509Certificate> bundle() {
        return List.of(root);
    }

    /** An SVID for {@code spiffe://ecomm.local/<name>}, valid from a minute ago for an hour. */
    public Svid issue(String name) {
        Instant now = Instant.now();
        return issue(List.of(TRUST_DOMAIN + name), now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)), false);
    }

    /** An SVID for any SPIFFE ID (another trust domain too), valid from a minute ago for an hour. */
    public Svid issueFor(String spiffeId) {
        Instant now = Instant.now();
        return issue(List.of(spiffeId), now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)), false);
    }

    /** A supplier holding a fresh SVID for {@code spiffe://ecomm.local/<name>} and this CA's bundle. */
    public MutableSvidSupplier supplier(String name) {
        return MutableSvidSupplier.of(issue(name), bundle());
    }

    /** An SVID for {@code spiffe://ecomm.local/<name>} that expired a minute ago. */
    public Svid issueExpired(String name) {
        Instant now = Instant.now();
        return issue(List.of(TRUST_DOMAIN + name), now.minus(Duration.ofHours(1)), now.minus(Duration.ofMinutes(1)), false);
    }

    /** A certificate with exactly these URI SANs (none, several, not SPIFFE), or a CA leaf. */
    public Svid issue(List<String> uris, Instant notBefore, Instant notAfter, boolean ca) {
        try {
            KeyPair keys = ecKeys();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(root, serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Name("O=SPIFFE"), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            if (!uris.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(uris.stream()
                        .map(uri -> new GeneralName(GeneralName.uniformResourceIdentifier, uri))
                        .toArray(GeneralName[]::new)));
            }
            return new Svid(keys.getPrivate(), List.of(sign(builder, key)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }
}
