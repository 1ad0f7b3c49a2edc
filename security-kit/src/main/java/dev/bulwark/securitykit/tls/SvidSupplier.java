package dev.bulwark.securitykit.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * Where TLS gets this workload's current X.509-SVID and trust bundle (SPIFFE Workload API §5.2: the
 * {@code X509SVIDResponse} carries both). Implementations hold the latest values and answer without
 * blocking; each TLS handshake asks again, so a renewed SVID or a changed bundle is used from the
 * next handshake on.
 *
 * <p>The Workload API client that feeds a supplier lives outside this module; {@link
 * MutableSvidSupplier} is the one implementation here (tests, and certificates read from files).
 */
public interface SvidSupplier {

    /** The current SVID. */
    Svid svid();

    /** The current trust bundle: the root certificates peers' chains must lead to. */
    List<X509Certificate> bundle();

    /**
     * The trust bundles of federated trust domains (SPIFFE Trust Domain and Bundle §5, Workload API
     * {@code federated_bundles}), keyed by trust-domain name ({@code logistics.local}), never this
     * workload's own domain. A peer whose SPIFFE ID is in one of these domains must chain to that
     * domain's roots; a peer of a domain that is neither this one nor listed here is refused. Empty
     * unless the supplier knows of federation.
     */
    default Map<String, List<X509Certificate>> federatedBundles() {
        return Map.of();
    }

    /**
     * Registers {@code listener}, called (on the thread that made the change) after the SVID, the
     * bundle or the federated bundles changed. A listener must not block.
     */
    void addChangeListener(Runnable listener);
}
