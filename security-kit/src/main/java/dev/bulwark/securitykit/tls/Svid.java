package dev.bulwark.securitykit.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * An X.509-SVID held by this workload (SPIFFE X509-SVID §4): its private key and its certificate
 * chain, leaf first, without the trust anchor.
 *
 * @param privateKey the leaf's private key; never logged
 * @param chain the leaf, then the intermediates (if any) up to, not including, a root of the bundle
 */
public record Svid(PrivateKey privateKey, List<X509Certificate> chain) {

    public Svid {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: [] (expected: the leaf, then its intermediates)");
        }
    }

    /** The leaf certificate, the one that carries the SPIFFE ID. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "Svid[leaf=" + leaf().getSubjectX500Principal().getName() + ", serial="
                + leaf().getSerialNumber().toString(16) + "]";
    }
}
