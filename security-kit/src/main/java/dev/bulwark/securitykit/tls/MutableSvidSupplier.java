package dev.bulwark.securitykit.tls;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link SvidSupplier} whose values are replaced by calling {@link #update}: for tests, and for an
 * SVID and bundle read from files (the caller re-reads them and calls {@code update}). Federated
 * bundles (SPIFFE federation) are set with {@link #updateFederatedBundles}.
 */
public final class MutableSvidSupplier implements SvidSupplier {

    private record State(Svid svid, List<X509Certificate> bundle, Map<String, List<X509Certificate>> federated) {
    }

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile State state;

    private MutableSvidSupplier(State state) {
        this.state = state;
    }

    /** A supplier that starts with this SVID and bundle, and no federated bundles. */
    public static MutableSvidSupplier of(Svid svid, List<X509Certificate> bundle) {
        return of(svid, bundle, Map.of());
    }

    /**
     * A supplier that starts with this SVID, bundle and federated bundles (keyed by trust-domain
     * name, e.g. {@code logistics.local}).
     */
    public static MutableSvidSupplier of(Svid svid, List<X509Certificate> bundle,
            Map<String, List<X509Certificate>> federatedBundles) {
        return new MutableSvidSupplier(new State(Objects.requireNonNull(svid, "svid"), checkedBundle(bundle),
                checkedFederated(federatedBundles)));
    }

    @Override
    public Svid svid() {
        return state.svid();
    }

    @Override
    public List<X509Certificate> bundle() {
        return state.bundle();
    }

    @Override
    public Map<String, List<X509Certificate>> federatedBundles() {
        return state.federated();
    }

    @Override
    public void addChangeListener(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Replaces the SVID and the bundle together (keeping the federated bundles), then tells the listeners. */
    public void update(Svid svid, List<X509Certificate> bundle) {
        replace(new State(Objects.requireNonNull(svid, "svid"), checkedBundle(bundle), state.federated()));
    }

    /** Replaces the SVID, keeping the bundles. */
    public void updateSvid(Svid svid) {
        update(svid, state.bundle());
    }

    /** Replaces the bundle, keeping the SVID and the federated bundles. */
    public void updateBundle(List<X509Certificate> bundle) {
        update(state.svid(), bundle);
    }

    /**
     * Replaces the federated bundles (keyed by trust-domain name; an empty map ends all federation),
     * then tells the listeners.
     */
    public void updateFederatedBundles(Map<String, List<X509Certificate>> federatedBundles) {
        State current = state;
        replace(new State(current.svid(), current.bundle(), checkedFederated(federatedBundles)));
    }

    private void replace(State next) {
        synchronized (this) {
            state = next;
        }
        listeners.forEach(Runnable::run);
    }

    private static List<X509Certificate> checkedBundle(List<X509Certificate> bundle) {
        List<X509Certificate> copy = List.copyOf(Objects.requireNonNull(bundle, "bundle"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("bundle: [] (expected: at least one root certificate)");
        }
        return copy;
    }

    private static Map<String, List<X509Certificate>> checkedFederated(Map<String, List<X509Certificate>> federated) {
        Map<String, List<X509Certificate>> copy = new LinkedHashMap<>();
        Objects.requireNonNull(federated, "federatedBundles").forEach((trustDomain, roots) -> {
            if (trustDomain.isBlank() || trustDomain.contains("/") || trustDomain.contains(":")
                    || !trustDomain.equals(trustDomain.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("federatedBundles: trust domain " + trustDomain
                        + " (expected: a lower-case trust-domain name such as logistics.local)");
            }
            copy.put(trustDomain, checkedBundle(roots));
        });
        return Map.copyOf(copy);
    }
}
