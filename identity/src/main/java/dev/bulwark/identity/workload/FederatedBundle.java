package dev.bulwark.identity.workload;

import java.util.Arrays;
import java.util.Objects;

/**
 * The X.509 trust bundle of a federated trust domain as the Workload API hands it out (SPIFFE Trust
 * Domain and Bundle §6, Workload API {@code federated_bundles}): the trust domain's SPIFFE ID, the key
 * of the response's map, and its root certificates as concatenated DER.
 *
 * @param trustDomainId {@code spiffe://<trust-domain>}, e.g. {@code spiffe://logistics.local}
 * @param bundleDer the trust domain's root certificates, DER, concatenated
 */
public record FederatedBundle(String trustDomainId, byte[] bundleDer) {

    public FederatedBundle {
        Objects.requireNonNull(trustDomainId, "trustDomainId");
        if (!trustDomainId.startsWith(WorkloadRegistry.SCHEME) || trustDomainId.indexOf('/', WorkloadRegistry.SCHEME.length()) >= 0
                || trustDomainId.length() == WorkloadRegistry.SCHEME.length()) {
            throw new IllegalArgumentException("trustDomainId: " + trustDomainId + " (expected: spiffe://<trust-domain>, no path)");
        }
        Objects.requireNonNull(bundleDer, "bundleDer");
        if (bundleDer.length == 0) {
            throw new IllegalArgumentException("bundleDer: empty (expected: DER certificates)");
        }
        bundleDer = bundleDer.clone();
    }

    @Override
    public byte[] bundleDer() {
        return bundleDer.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FederatedBundle that && trustDomainId.equals(that.trustDomainId)
                && Arrays.equals(bundleDer, that.bundleDer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(trustDomainId, Arrays.hashCode(bundleDer));
    }

    @Override
    public String toString() {
        return "FederatedBundle[" + trustDomainId + ", bytes=" + bundleDer.length + "]";
    }
}
