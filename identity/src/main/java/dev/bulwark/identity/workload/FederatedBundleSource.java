package dev.bulwark.identity.workload;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where the Workload API server gets the bundles of the trust domains this one federates with
 * (Workload API {@code X509SVIDResponse.federated_bundles} and {@code FetchX509Bundles}). A
 * subscription receives the current set at once (possibly empty), then the whole set again on every
 * change, so that the server pushes it to every open stream.
 */
@FunctionalInterface
public interface FederatedBundleSource {

    /** No federation: the empty set, never changing. */
    FederatedBundleSource NONE = listener -> {
        listener.accept(List.of());
        return () -> { };
    };

    /**
     * Listens to the federated bundles until the returned subscription is closed. The listener may be
     * called from any thread, never concurrently for one subscription.
     */
    X509SvidSource.Subscription subscribe(Consumer<List<FederatedBundle>> listener);
}
