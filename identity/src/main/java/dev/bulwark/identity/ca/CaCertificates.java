package dev.bulwark.identity.ca;

import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/** Builds the three kinds of certificate of the workload CA (RFC 5280 profile, SPIFFE X509-SVID spec). */
final class CaCertificates {

    /** Tolerated clock skew: certificates are valid from a little before they are made. */
    static final Duration BACKDATE = Duration.ofSeconds(30);

    private static final SecureRandom RANDOM = new SecureRandom();

    private CaCertificates() {
    }

    static KeyPair newP256KeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    /** A positive serial of 127 random bits (RFC 5280 §4.1.2.2: at most 20 octets, unpredictable). */
    static BigInteger randomSerial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    /** A self-signed root: CA:true, pathLen 1 (one intermediate below it), keyCertSign and cRLSign. */
    static Authority root(TrustDomain trustDomain, Instant now, Duration lifetime) {
        KeyPair keys = newP256KeyPair();
        X500Name name = caName("Bulwark workload root CA", trustDomain, keys.getPublic());
        try {
            JcaX509ExtensionUtils utils = extensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, randomSerial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(lifetime)), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(1))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            return new Authority(selfSign(builder, keys), keys.getPrivate());
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build the root CA certificate", e);
        }
    }

    /** An intermediate signed by {@code root}: CA:true, pathLen 0, never outliving the root. */
    static Authority intermediate(Authority root, TrustDomain trustDomain, Instant now, Duration lifetime,
            boolean nameConstraints) {
        KeyPair keys = newP256KeyPair();
        Instant notAfter = min(now.plus(lifetime), root.notAfter());
        try {
            JcaX509ExtensionUtils utils = extensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(root.certificate(), randomSerial(),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter),
                    caName("Bulwark workload intermediate CA", trustDomain, keys.getPublic()), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(root.certificate()));
            if (nameConstraints) {
                GeneralSubtree permitted = new GeneralSubtree(
                        new GeneralName(GeneralName.uniformResourceIdentifier, trustDomain.name()));
                builder.addExtension(Extension.nameConstraints, true,
                        new NameConstraints(new GeneralSubtree[] {permitted}, null));
            }
            return new Authority(sign(builder, root), keys.getPrivate());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an intermediate CA certificate", e);
        }
    }

    /** An X.509-SVID leaf for {@code publicKey}, signed by {@code issuer}. */
    static X509Certificate svid(Authority issuer, PublicKey publicKey, SpiffeId id, List<String> dnsNames,
            Instant now, Instant notAfter, WorkloadCaSettings settings) {
        try {
            JcaX509ExtensionUtils utils = extensionUtils();
            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(GeneralName.uniformResourceIdentifier, id.toString()));
            dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
            Instant notBefore = max(now.minus(BACKDATE), issuer.certificate().getNotBefore().toInstant());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate(), randomSerial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("O=SPIFFE,OU=" + id.trustDomain().name()), publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer.certificate()))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            URI ocsp = settings.ocspUrl();
            if (ocsp != null) {
                builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        new AccessDescription(AccessDescription.id_ad_ocsp,
                                new GeneralName(GeneralName.uniformResourceIdentifier, ocsp.toString()))));
            }
            URI crlBase = settings.crlBaseUrl();
            if (crlBase != null) {
                String url = crlBase.toString().replaceAll("/+$", "") + "/" + issuer.keyId();
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                    new DistributionPoint(new DistributionPointName(new GeneralNames(
                            new GeneralName(GeneralName.uniformResourceIdentifier, url))), null, null)}));
            }
            return sign(builder, issuer);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an X.509-SVID", e);
        }
    }

    static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 for key identifiers is unavailable", e);
        }
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static X500Name caName(String label, TrustDomain trustDomain, PublicKey key) {
        // the key id in the CN keeps the names of successive CAs apart (CRLs and OCSP match on the name)
        String keyId = java.util.HexFormat.of().formatHex(
                extensionUtils().createSubjectKeyIdentifier(key).getKeyIdentifier()).substring(0, 16);
        return new X500Name("CN=" + label + " " + keyId + ",OU=" + trustDomain.name() + ",O=Bulwark");
    }

    private static X509Certificate selfSign(X509v3CertificateBuilder builder, KeyPair keys) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                            .build(keys.getPrivate())));
        } catch (CertificateException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot self-sign the root CA certificate", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, Authority issuer) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(issuer.contentSigner()));
    }
}
