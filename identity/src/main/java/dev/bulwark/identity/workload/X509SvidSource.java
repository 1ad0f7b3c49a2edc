package dev.bulwark.identity.workload;

import java.util.function.Consumer;

/**
 * Where the Workload API server gets X.509-SVIDs: the CA implements it (issuing and renewing each
 * workload's SVID), {@link SvidPublisher} is an in-memory implementation.
 *
 * <p>A subscription is the server side of one {@code FetchX509SVID} stream: the listener receives
 * the current SVID of {@code spiffeId} at once if there is one, then every renewal or rotation, so
 * that the server pushes each of them to the workload (SPIFFE Workload API spec: FetchX509SVID streams every change).
 */
public interface X509SvidSource {

    /**
     * Listens to the SVIDs of one SPIFFE ID until the returned subscription is closed. The listener
     * may be called from any thread, but not concurrently for the same subscription.
     */
    Subscription subscribe(String spiffeId, Consumer<SvidUpdate> listener);

    /** Stops the updates of one {@link #subscribe} call; closing twice is harmless. */
    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
