package dev.bulwark.identity.workload;

import java.io.ByteArrayOutputStream;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One X.509-SVID as the Workload API hands it out (the {@code X509SVID} message): the SPIFFE ID, the
 * DER certificate chain with the leaf first, the unencrypted PKCS#8 private key, and the DER trust
 * bundle of the SVID's trust domain (certificates concatenated).
 *
 * @param spiffeId the SPIFFE ID in the leaf's URI SAN, e.g. {@code spiffe://ecomm.local/order}
 * @param certificateChainDer leaf first, then intermediates, each ASN.1 DER, concatenated
 * @param privateKeyPkcs8Der the leaf's private key, PKCS#8 DER
 * @param bundleDer the trust domain's root certificates, DER, concatenated
 */
public record SvidUpdate(String spiffeId, byte[] certificateChainDer, byte[] privateKeyPkcs8Der, byte[] bundleDer) {

    public SvidUpdate {
        spiffeId = WorkloadRegistry.checkSpiffeId(spiffeId);
        certificateChainDer = nonEmptyCopy(certificateChainDer, "certificateChainDer");
        privateKeyPkcs8Der = nonEmptyCopy(privateKeyPkcs8Der, "privateKeyPkcs8Der");
        bundleDer = nonEmptyCopy(bundleDer, "bundleDer");
    }

    /** Builds an update from JCA objects: {@code chain} leaf first, {@code bundle} the roots. */
    public static SvidUpdate of(String spiffeId, List<X509Certificate> chain, PrivateKey privateKey,
            List<X509Certificate> bundle) {
        Objects.requireNonNull(privateKey, "privateKey");
        byte[] key = privateKey.getEncoded();
        if (key == null || !"PKCS#8".equals(privateKey.getFormat())) {
            throw new IllegalArgumentException("privateKey format: " + privateKey.getFormat() + " (expected: PKCS#8)");
        }
        return new SvidUpdate(spiffeId, concat(chain), key, concat(bundle));
    }

    /** The trust domain's SPIFFE ID, {@code spiffe://<trust-domain>}, the key of bundle maps. */
    public String trustDomainId() {
        int slash = spiffeId.indexOf('/', WorkloadRegistry.SCHEME.length());
        return slash < 0 ? spiffeId : spiffeId.substring(0, slash);
    }

    @Override
    public byte[] certificateChainDer() {
        return certificateChainDer.clone();
    }

    @Override
    public byte[] privateKeyPkcs8Der() {
        return privateKeyPkcs8Der.clone();
    }

    @Override
    public byte[] bundleDer() {
        return bundleDer.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SvidUpdate that && spiffeId.equals(that.spiffeId)
                && Arrays.equals(certificateChainDer, that.certificateChainDer)
                && Arrays.equals(privateKeyPkcs8Der, that.privateKeyPkcs8Der)
                && Arrays.equals(bundleDer, that.bundleDer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spiffeId, Arrays.hashCode(certificateChainDer), Arrays.hashCode(bundleDer));
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "SvidUpdate[spiffeId=" + spiffeId + ", chainBytes=" + certificateChainDer.length + "]";
    }

    private static byte[] nonEmptyCopy(byte[] value, String name) {
        Objects.requireNonNull(value, name);
        if (value.length == 0) {
            throw new IllegalArgumentException(name + ": empty (expected: DER bytes)");
        }
        return value.clone();
    }

    private static byte[] concat(List<X509Certificate> certificates) {
        Objects.requireNonNull(certificates, "certificates");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (X509Certificate certificate : certificates) {
            try {
                out.writeBytes(certificate.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("cannot DER-encode " + certificate.getSubjectX500Principal(), e);
            }
        }
        return out.toByteArray();
    }
}
