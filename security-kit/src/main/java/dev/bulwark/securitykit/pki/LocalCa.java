package dev.bulwark.securitykit.pki;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate authority of local mode: an EC P-256 root that signs the TLS certificates of the
 * edge (gateway, STS) and of the internal ports. Its certificate, {@code ca.pem}, is the trust anchor
 * a user gives curl.
 *
 * <p>Certificates follow RFC 5280: the root has {@code basicConstraints CA:true} and
 * {@code keyCertSign}; a leaf has {@code CA:false}, {@code digitalSignature}, both
 * {@code serverAuth} and {@code clientAuth} (the same certificate authenticates a component as a
 * server and, for mTLS, as a client), and subject alternative names for loopback use.
 */
public final class LocalCa {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Clock clock;

    private LocalCa(X509Certificate certificate, PrivateKey privateKey, Clock clock) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.clock = clock;
    }

    /** Creates a new root CA with a fresh key, valid for ten years. */
    public static LocalCa create(String commonName) {
        return create(commonName, Clock.systemUTC());
    }

    static LocalCa create(String commonName, Clock clock) {
        Objects.requireNonNull(commonName, "commonName");
        try {
            KeyPair keys = newEcKeyPair();
            X500Name name = new X500Name("CN=" + commonName + ",O=Bulwark local mode");
            Instant now = clock.instant();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(3650))), name,
                    keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new LocalCa(sign(builder, keys.getPrivate()), keys.getPrivate(), clock);
        } catch (GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot create the local CA", e);
        }
    }

    /** Loads a CA written by {@link #writeTo}. */
    public static LocalCa load(Path certificatePem, Path privateKeyPem) {
        return new LocalCa(Pem.readCertificate(certificatePem), Pem.readPrivateKey(privateKeyPem), Clock.systemUTC());
    }

    /** Loads the CA from these files when both exist, or creates one and writes it there. */
    public static LocalCa loadOrCreate(Path certificatePem, Path privateKeyPem, String commonName) {
        if (Files.exists(certificatePem) && Files.exists(privateKeyPem)) {
            return load(certificatePem, privateKeyPem);
        }
        LocalCa ca = create(commonName);
        ca.writeTo(certificatePem, privateKeyPem);
        return ca;
    }

    /** Writes the CA certificate and its private key (mode 0600) as PEM. */
    public void writeTo(Path certificatePem, Path privateKeyPem) {
        dev.bulwark.securitykit.PrivateFiles.writePublicString(certificatePem, Pem.encode(certificate));
        dev.bulwark.securitykit.PrivateFiles.writeString(privateKeyPem, Pem.encode(privateKey));
    }

    /** The CA's own certificate: the trust anchor. */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Issues a leaf certificate for a new EC P-256 key.
     *
     * @param commonName the subject CN, e.g. {@code gateway}
     * @param lifetime how long it is valid from now
     * @param dnsNames DNS subject alternative names, e.g. {@code localhost}
     * @param ipAddresses IP subject alternative names, e.g. {@code 127.0.0.1}
     */
    public IssuedCertificate issue(String commonName, Duration lifetime, List<String> dnsNames, List<String> ipAddresses) {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(lifetime, "lifetime");
        try {
            KeyPair keys = newEcKeyPair();
            Instant now = clock.instant();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
            ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(lifetime)),
                    new X500Name("CN=" + commonName + ",O=Bulwark local mode"), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new IssuedCertificate(sign(builder, privateKey), certificate, keys.getPrivate());
        } catch (GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    /** Issues a certificate for a component on loopback: {@code localhost}, 127.0.0.1 and ::1. */
    public IssuedCertificate issueForLoopback(String commonName, Duration lifetime) {
        return issue(commonName, lifetime, List.of("localhost", commonName), List.of("127.0.0.1", "::1"));
    }

    private static KeyPair newEcKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
