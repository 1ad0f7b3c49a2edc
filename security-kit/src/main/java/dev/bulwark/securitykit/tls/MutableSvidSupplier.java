package dev.bulwark.securitykit.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link SvidSupplier} whose values are replaced by calling {@link #update}: for tests, and for an
 * SVID and bundle read from files (the caller re-reads them and calls {@code update}).
 */
public final class MutableSvidSupplier implements SvidSupplier {

    private record State(Svid svid, List<X509Certificate> bundle) {
    }

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile State state;

    private MutableSvidSupplier(State state) {
        this.state = state;
    }

    /** A supplier that starts with this SVID and bundle. */
    public static MutableSvidSupplier of(Svid svid, List<X509Certificate> bundle) {
        return new MutableSvidSupplier(new State(Objects.requireNonNull(svid, "svid"), checkedBundle(bundle)));
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
    public void addChangeListener(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Replaces the SVID and the bundle together, then tells the listeners. */
    public void update(Svid svid, List<X509Certificate> bundle) {
        State next = new State(Objects.requireNonNull(svid, "svid"), checkedBundle(bundle));
        synchronized (this) {
            state = next;
        }
        listeners.forEach(Runnable::run);
    }

    /** Replaces the SVID, keeping the bundle. */
    public void updateSvid(Svid svid) {
        update(svid, state.bundle());
    }

    /** Replaces the bundle, keeping the SVID. */
    public void updateBundle(List<X509Certificate> bundle) {
        update(state.svid(), bundle);
    }

    private static List<X509Certificate> checkedBundle(List<X509Certificate> bundle) {
        List<X509Certificate> copy = List.copyOf(Objects.requireNonNull(bundle, "bundle"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("bundle: [] (expected: at least one root certificate)");
        }
        return copy;
    }
}
