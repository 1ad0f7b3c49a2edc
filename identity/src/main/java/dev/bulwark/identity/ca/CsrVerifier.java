package dev.bulwark.identity.ca;

import java.security.PublicKey;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The first stage of issuance: a CSR is accepted only with an EC P-256 key and a valid self-signature
 * made with that key, which proves the requester holds the private key (RFC 2986 §3); what the CSR
 * asks for (subject, extensions) is ignored, the CA decides the identity.
 */
final class CsrVerifier {

    private static final Set<ASN1ObjectIdentifier> ECDSA_SIGNATURES = Set.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512);

    private CsrVerifier() {
    }

    /** The CSR's public key, once the CSR is proven well-formed, P-256 and signed by that key. */
    static PublicKey verify(PKCS10CertificationRequest csr) {
        SubjectPublicKeyInfo keyInfo = csr.getSubjectPublicKeyInfo();
        AlgorithmIdentifier keyAlgorithm = keyInfo.getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(keyAlgorithm.getAlgorithm())
                || !SECObjectIdentifiers.secp256r1.equals(keyAlgorithm.getParameters())) {
            throw new CsrRejectedException("CSR key: " + keyAlgorithm.getAlgorithm().getId()
                    + describe(keyAlgorithm) + " (expected: an EC P-256 key, 1.2.840.10045.2.1 with 1.2.840.10045.3.1.7)");
        }
        ASN1ObjectIdentifier signature = csr.getSignatureAlgorithm().getAlgorithm();
        if (!ECDSA_SIGNATURES.contains(signature)) {
            throw new CsrRejectedException("CSR signature algorithm: " + signature.getId()
                    + " (expected: ECDSA with SHA-256, SHA-384 or SHA-512)");
        }
        boolean valid;
        try {
            valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(keyInfo));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new CsrRejectedException("CSR signature: unverifiable (expected: a signature by the CSR's own key)", e);
        }
        if (!valid) {
            throw new CsrRejectedException("CSR signature: invalid (expected: a signature by the CSR's own key)");
        }
        try {
            return new JcaPEMKeyConverter().getPublicKey(keyInfo);
        } catch (org.bouncycastle.openssl.PEMException e) {
            throw new CsrRejectedException("CSR key: undecodable (expected: an EC P-256 key)", e);
        }
    }

    private static String describe(AlgorithmIdentifier algorithm) {
        return algorithm.getParameters() instanceof ASN1ObjectIdentifier curve ? " on " + curve.getId() : "";
    }
}
