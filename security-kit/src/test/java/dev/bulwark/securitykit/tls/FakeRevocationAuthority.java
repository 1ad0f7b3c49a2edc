package dev.bulwark.securitykit.tls;

import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.jspecify.annotations.Nullable;

/** A root that issues leaves with OCSP/CRL pointers and signs OCSP responses and CRLs, all in memory. */
final class FakeRevocationAuthority {

    static final URI OCSP = URI.create("http://ocsp.test/");
    static final URI CRL = URI.create("http://crl.test/crl");
    private static final SecureRandom RANDOM = new SecureRandom();

    final X509Certificate root;
    final PrivateKey key;

    FakeRevocationAuthority() throws Exception {
        KeyPair keys = keys();
        X500Name name = new X500Name("CN=fake root " + RANDOM.nextInt(1_000_000));
        Instant now = Instant.now();
        root = sign(new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true)), keys.getPrivate());
        key = keys.getPrivate();
    }

    /** A leaf with the OCSP URL and/or the CRL distribution point when not null. */
    X509Certificate leaf(@Nullable URI ocsp, @Nullable URI crl) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(root, serial(),
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofHours(1))),
                new X500Name("O=SPIFFE"), keys().getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        if (ocsp != null) {
            builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                    new AccessDescription(AccessDescription.id_ad_ocsp,
                            new GeneralName(GeneralName.uniformResourceIdentifier, ocsp.toString()))));
        }
        if (crl != null) {
            builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                new DistributionPoint(new DistributionPointName(new GeneralNames(
                        new GeneralName(GeneralName.uniformResourceIdentifier, crl.toString()))), null, null)}));
        }
        return sign(builder, key);
    }

    /** An SVID (no pointers) for {@code spiffeId}. */
    Svid svid(String spiffeId) throws Exception {
        KeyPair keys = keys();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(root, serial(),
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofHours(1))),
                new X500Name("O=SPIFFE"), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId)));
        return new Svid(keys.getPrivate(), java.util.List.of(sign(builder, key)));
    }

    /** Answers {@code request} for every CertID in it with {@code revoked}'s verdict, signed by {@code signer}. */
    byte[] ocsp(byte[] request, Set<BigInteger> revoked, Instant thisUpdate, @Nullable Instant nextUpdate,
            PrivateKey signer, boolean echoNonce) throws Exception {
        OCSPReq req = new OCSPReq(request);
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(
                new X509CertificateHolder(root.getEncoded()).getSubjectPublicKeyInfo(),
                new JcaDigestCalculatorProviderBuilder().build().get(org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1));
        for (Req entry : req.getRequestList()) {
            CertificateStatus status = revoked.contains(entry.getCertID().getSerialNumber())
                    ? new RevokedStatus(Date.from(thisUpdate), CRLReason.keyCompromise) : CertificateStatus.GOOD;
            builder.addResponse(entry.getCertID(), status, Date.from(thisUpdate),
                    nextUpdate == null ? null : Date.from(nextUpdate), null);
        }
        Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null && echoNonce) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer), null, Date.from(thisUpdate)))
                .getEncoded();
    }

    byte[] crl(Set<BigInteger> revoked, Instant thisUpdate, @Nullable Instant nextUpdate, PrivateKey signer)
            throws Exception {
        X509v2CRLBuilder builder = new X509v2CRLBuilder(new X509CertificateHolder(root.getEncoded()).getSubject(),
                Date.from(thisUpdate));
        if (nextUpdate != null) {
            builder.setNextUpdate(Date.from(nextUpdate));
        }
        for (BigInteger serial : revoked) {
            builder.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
        }
        return new JcaX509CRLConverter().getCRL(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer))).getEncoded();
    }

    static KeyPair keys() throws Exception {
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
