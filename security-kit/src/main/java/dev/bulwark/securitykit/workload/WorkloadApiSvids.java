package dev.bulwark.securitykit.workload;

import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.securitykit.tls.SvidSupplier;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.exception.BundleNotFoundException;
import io.spiffe.exception.SocketEndpointAddressException;
import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.workloadapi.DefaultWorkloadApiClient;
import io.spiffe.workloadapi.Watcher;
import io.spiffe.workloadapi.WorkloadApiClient;
import io.spiffe.workloadapi.X509Context;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This workload's X.509-SVID and trust bundle from the SPIFFE Workload API ({@code FetchX509SVID},
 * a server stream), through java-spiffe's client: the same code talks to Bulwark's identity process
 * or to a SPIRE agent.
 *
 * <p>{@link #connect} blocks until the first SVID arrives. Afterwards every response of the stream
 * replaces the SVID and bundle and tells the change listeners; when the stream breaks, java-spiffe
 * reconnects with exponential back-off while TLS keeps using the last SVID (until it expires, when
 * peers refuse it). The bundle is the one of the SVID's own trust domain; the bundles of every other
 * trust domain in the response ({@code federated_bundles}, SPIFFE federation) are the {@link
 * #federatedBundles() federated bundles}.
 *
 * <pre>{@code
 * try (WorkloadApiSvids svids = WorkloadApiSvids.connect(Path.of(".bulwark/identity/agent.sock"), Duration.ofSeconds(30))) {
 *     SSLContext context = SpiffeTls.clientContext(svids, SpiffeIdPolicy.oneOf("spiffe://ecomm.local/order"), listener);
 * }
 * }</pre>
 */
public final class WorkloadApiSvids implements SvidSupplier, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkloadApiSvids.class);

    private record State(Svid svid, List<X509Certificate> bundle, Map<String, List<X509Certificate>> federated,
            String spiffeId) {
    }

    private final WorkloadApiClient client;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch first = new CountDownLatch(1);
    private final AtomicLong updates = new AtomicLong();
    private volatile @Nullable State state;
    private volatile @Nullable Throwable lastError;

    private WorkloadApiSvids(WorkloadApiClient client) {
        this.client = client;
    }

    /**
     * Connects to the Workload API at {@code socket} and waits up to {@code firstSvidTimeout} for this
     * workload's first SVID.
     *
     * @throws IllegalStateException when no SVID arrived in time (the message says why, if known)
     */
    public static WorkloadApiSvids connect(Path socket, Duration firstSvidTimeout) {
        Objects.requireNonNull(socket, "socket");
        WorkloadApiClient client;
        try {
            client = DefaultWorkloadApiClient.newClient(DefaultWorkloadApiClient.ClientOptions.builder()
                    .spiffeSocketPath("unix:" + socket.toAbsolutePath())
                    .build());
        } catch (SocketEndpointAddressException e) {
            throw new IllegalArgumentException("socket: " + socket + " (expected: a Unix domain socket path)", e);
        }
        WorkloadApiSvids svids = new WorkloadApiSvids(client);
        client.watchX509Context(svids.new Updates());
        try {
            if (!svids.first.await(firstSvidTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                svids.close();
                Throwable error = svids.lastError;
                throw new IllegalStateException("no X.509-SVID from the Workload API at " + socket + " within "
                        + firstSvidTimeout + (error == null ? "" : ": " + error.getMessage()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            svids.close();
            throw new IllegalStateException("interrupted while waiting for the first X.509-SVID", e);
        }
        return svids;
    }

    @Override
    public Svid svid() {
        return current().svid();
    }

    @Override
    public List<X509Certificate> bundle() {
        return current().bundle();
    }

    @Override
    public Map<String, List<X509Certificate>> federatedBundles() {
        return current().federated();
    }

    /** This workload's SPIFFE ID, as its current SVID says. */
    public String spiffeId() {
        return current().spiffeId();
    }

    @Override
    public void addChangeListener(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** How many SVID/bundle updates arrived, the first one included. */
    public long updates() {
        return updates.get();
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (java.io.IOException e) {
            log.warn("event=workload_api.close_failed reason={}", e.getMessage());
        }
    }

    /**
     * The bundles of every trust domain of {@code context} other than its default SVID's own, keyed by
     * trust-domain name; domains without roots are left out.
     */
    static Map<String, List<X509Certificate>> federatedBundles(X509Context context) {
        TrustDomain own = context.getDefaultSvid().getSpiffeId().getTrustDomain();
        Map<String, List<X509Certificate>> federated = new LinkedHashMap<>();
        context.getX509BundleSet().getBundles().forEach((domain, bundle) -> {
            if (!domain.equals(own) && !bundle.getX509Authorities().isEmpty()) {
                federated.put(domain.getName(), List.copyOf(bundle.getX509Authorities()));
            }
        });
        return Map.copyOf(federated);
    }

    private State current() {
        State current = state;
        if (current == null) {
            throw new IllegalStateException("no X.509-SVID yet");
        }
        return current;
    }

    private final class Updates implements Watcher<X509Context> {

        @Override
        public void onUpdate(X509Context context) {
            try {
                X509Svid svid = context.getDefaultSvid();
                X509Bundle bundle = context.getX509BundleSet().getBundleForTrustDomain(svid.getSpiffeId().getTrustDomain());
                State next = new State(new Svid(svid.getPrivateKey(), svid.getChain()),
                        List.copyOf(bundle.getX509Authorities()), federatedBundles(context), svid.getSpiffeId().toString());
                boolean changed = state != null;
                state = next;
                updates.incrementAndGet();
                first.countDown();
                log.info("event=svid.updated spiffe_id={} serial={} not_after={} federated_domains={}", next.spiffeId(),
                        next.svid().leaf().getSerialNumber().toString(16), next.svid().leaf().getNotAfter().toInstant(),
                        next.federated().keySet());
                if (changed) {
                    listeners.forEach(Runnable::run);
                }
            } catch (BundleNotFoundException | RuntimeException e) {
                lastError = e;
                log.warn("event=svid.update_refused reason={}", e.getMessage());
            }
        }

        @Override
        public void onError(Throwable error) {
            lastError = error;
            log.warn("event=workload_api.error reason={}", error.getMessage());
        }
    }
}
