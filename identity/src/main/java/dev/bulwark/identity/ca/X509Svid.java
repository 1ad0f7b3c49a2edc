package dev.bulwark.identity.ca;

import dev.bulwark.identity.spiffe.SpiffeId;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * An X.509-SVID as the CA hands it out: the SPIFFE ID and the chain, leaf first, then the intermediate
 * that signed it (SPIFFE X509-SVID spec §5). The private key is not here: it never left the workload.
 *
 * @param spiffeId the identity in the leaf's URI SAN
 * @param chain the leaf, then the intermediate
 */
public record X509Svid(SpiffeId spiffeId, List<X509Certificate> chain) {

    public X509Svid {
        Objects.requireNonNull(spiffeId, "spiffeId");
        chain = List.copyOf(chain);
        if (chain.size() < 2) {
            throw new IllegalArgumentException("chain: " + chain.size() + " certificates (expected: leaf and intermediate)");
        }
    }

    /** The leaf certificate. */
    public X509Certificate leaf() {
        return chain.getFirst();
    }

    /** The intermediate that signed the leaf. */
    public X509Certificate issuer() {
        return chain.get(1);
    }

    /** The leaf's serial number. */
    public BigInteger serialNumber() {
        return leaf().getSerialNumber();
    }
}
