package dev.bulwark.identity.workload;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link X509SvidSource} that holds the latest SVID per SPIFFE ID in memory and passes each
 * {@link #publish published} one to the subscribers of that ID. The CA (or a test) publishes; the
 * Workload API server subscribes.
 *
 * <p>Publishing and subscribing take one lock, so a subscriber never receives an older SVID after a
 * newer one. Rotations are rare; the lock is not on any request path.
 */
public final class SvidPublisher implements X509SvidSource {

    private static final Logger log = LoggerFactory.getLogger(SvidPublisher.class);

    private final Map<String, SvidUpdate> latest = new HashMap<>();
    private final Map<String, Set<Consumer<SvidUpdate>>> listeners = new ConcurrentHashMap<>();

    /** Makes {@code update} the current SVID of its SPIFFE ID and sends it to every subscriber. */
    public synchronized void publish(SvidUpdate update) {
        Objects.requireNonNull(update, "update");
        latest.put(update.spiffeId(), update);
        for (Consumer<SvidUpdate> listener : listeners.getOrDefault(update.spiffeId(), Set.of())) {
            try {
                listener.accept(update);
            } catch (RuntimeException e) {
                // one broken subscriber must not keep the others on the old SVID
                log.info("event=workload_api.subscriber_failed spiffe_id={} reason={}", update.spiffeId(), e.toString());
            }
        }
    }

    /** The current SVID of {@code spiffeId}, if one was published. */
    public synchronized Optional<SvidUpdate> current(String spiffeId) {
        return Optional.ofNullable(latest.get(spiffeId));
    }

    @Override
    public synchronized Subscription subscribe(String spiffeId, Consumer<SvidUpdate> listener) {
        Objects.requireNonNull(spiffeId, "spiffeId");
        Objects.requireNonNull(listener, "listener");
        Set<Consumer<SvidUpdate>> subscribers = listeners.computeIfAbsent(spiffeId, id -> new CopyOnWriteArraySet<>());
        subscribers.add(listener);
        SvidUpdate now = latest.get(spiffeId);
        if (now != null) {
            listener.accept(now);
        }
        return () -> subscribers.remove(listener);
    }
}
