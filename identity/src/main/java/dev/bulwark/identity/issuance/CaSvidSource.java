package dev.bulwark.identity.issuance;

import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.ca.X509Svid;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.workload.SvidPublisher;
import dev.bulwark.identity.workload.SvidUpdate;
import dev.bulwark.identity.workload.X509SvidSource;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link X509SvidSource} backed by a {@link WorkloadCa}: the first subscription to a SPIFFE ID makes
 * an EC P-256 key pair here (the agent side), a PKCS#10 CSR signed with it, has the CA issue the
 * X.509-SVID from the CSR, and publishes it (chain = leaf + intermediate, the key, bundle = the CA's
 * current roots). Each SVID is renewed with a new key at about half its lifetime (between 45 % and 50 %,
 * jittered so that SVIDs issued together do not renew together), and every SVID is re-issued at once
 * when the CA's signing intermediate or bundle changes ({@link WorkloadCa#addChangeListener}).
 *
 * <p>The SVID lifetime is the CA's ({@link dev.bulwark.identity.ca.WorkloadCaSettings#svidLifetime()},
 * 1 h by default). When the last subscription of an ID closes, that ID is no longer renewed. A failed
 * issuance (the intermediate expired, ...) is retried after a tenth of the lifetime, at least 1 s.
 * One thread renews; issuance is serialized (about 2 ms per SVID plus key generation).
 */
public final class CaSvidSource implements X509SvidSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CaSvidSource.class);

    /** Renewal happens between {@code (0.5 - JITTER) * lifetime} and {@code 0.5 * lifetime} after issuance. */
    static final double JITTER = 0.05;

    /** Runs tasks later; the production one is a single-thread {@link ScheduledThreadPoolExecutor}. */
    interface Scheduler extends AutoCloseable {
        /** Runs {@code task} after {@code delay}; the result cancels it. */
        Runnable schedule(Runnable task, Duration delay);

        @Override
        void close();
    }

    private static final class Tracked {
        final SpiffeId id;
        int subscribers;
        @Nullable Runnable cancelRenewal;

        Tracked(SpiffeId id) {
            this.id = id;
        }
    }

    private final WorkloadCa ca;
    private final Clock clock;
    private final Scheduler scheduler;
    private final DoubleSupplier jitter;
    private final List<String> dnsNames;
    private final SvidPublisher publisher = new SvidPublisher();
    private final Map<SpiffeId, Tracked> tracked = new HashMap<>();
    private final Runnable onCaChange = this::caChanged;
    private boolean closed;

    CaSvidSource(WorkloadCa ca, Clock clock, Scheduler scheduler, DoubleSupplier jitter) {
        this(ca, clock, scheduler, jitter, List.of());
    }

    CaSvidSource(WorkloadCa ca, Clock clock, Scheduler scheduler, DoubleSupplier jitter, List<String> dnsNames) {
        this.dnsNames = List.copyOf(dnsNames);
        this.ca = Objects.requireNonNull(ca, "ca");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        ca.addChangeListener(onCaChange);
    }

    /** A source issuing from {@code ca}, renewing on its own daemon thread; close it to stop. */
    public static CaSvidSource start(WorkloadCa ca) {
        return start(ca, List.of());
    }

    /**
     * As {@link #start(WorkloadCa)}, with these DNS SANs in every SVID (local mode: {@code localhost},
     * so that a browser or curl accepts the edge's SVID for {@code https://localhost}).
     */
    public static CaSvidSource start(WorkloadCa ca, List<String> dnsNames) {
        SecureRandom random = new SecureRandom();
        return new CaSvidSource(ca, Clock.systemUTC(), executorScheduler(), random::nextDouble, dnsNames);
    }

    @Override
    public Subscription subscribe(String spiffeId, Consumer<SvidUpdate> listener) {
        SpiffeId id = SpiffeId.parse(spiffeId);
        Objects.requireNonNull(listener, "listener");
        if (!id.memberOf(ca.settings().trustDomain()) || id.path().isEmpty()) {
            throw new IllegalArgumentException("SPIFFE ID: " + id + " (expected: a workload of " + ca.settings().trustDomain() + ")");
        }
        Subscription subscription;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("SVID source closed");
            }
            Tracked t = tracked.get(id);
            if (t == null) {
                t = new Tracked(id);
                tracked.put(id, t);
                renew(t);
            }
            t.subscribers++;
            subscription = publisher.subscribe(id.toString(), listener);
        }
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                subscription.close();
                release(id);
            }
        };
    }

    /** Stops renewing; open subscriptions receive nothing more. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            tracked.values().forEach(CaSvidSource::cancelRenewal);
            tracked.clear();
        }
        ca.removeChangeListener(onCaChange);
        scheduler.close();
    }

    /** When to renew an SVID valid from {@code issuedAt} to {@code notAfter}, for {@code random} in [0, 1). */
    static Instant renewalTime(Instant issuedAt, Instant notAfter, double random) {
        Duration lifetime = Duration.between(issuedAt, notAfter);
        if (lifetime.isNegative()) {
            return issuedAt;
        }
        double fraction = 0.5 - JITTER * Math.min(Math.max(random, 0.0), 1.0);
        return issuedAt.plusMillis((long) (lifetime.toMillis() * fraction));
    }

    private synchronized void release(SpiffeId id) {
        Tracked t = tracked.get(id);
        if (t != null && --t.subscribers == 0) {
            cancelRenewal(t);
            tracked.remove(id);
        }
    }

    private void caChanged() {
        scheduler.schedule(this::reissueAll, Duration.ZERO);
    }

    private synchronized void reissueAll() {
        if (closed) {
            return;
        }
        log.info("event=svid_source.ca_changed spiffe_ids={}", tracked.size());
        // a listener may close its subscription while being fed (its process lost its registration)
        for (Tracked t : List.copyOf(tracked.values())) {
            if (tracked.get(t.id) == t) {
                renew(t);
            }
        }
    }

    private synchronized void renewScheduled(Tracked t) {
        if (!closed && tracked.get(t.id) == t) {
            renew(t);
        }
    }

    /** Issues and publishes a new SVID for {@code t}, then schedules the next renewal. Holds the lock. */
    private void renew(Tracked t) {
        cancelRenewal(t);
        Duration delay;
        try {
            Instant issuedAt = clock.instant();
            KeyPair keys = newKeyPair();
            X509Svid svid = ca.issue(csr(keys), t.id, dnsNames);
            publisher.publish(SvidUpdate.of(t.id.toString(), svid.chain(), keys.getPrivate(), ca.bundle()));
            Instant renewAt = renewalTime(issuedAt, svid.leaf().getNotAfter().toInstant(), jitter.getAsDouble());
            delay = Duration.between(clock.instant(), renewAt);
            log.info("event=svid_source.published spiffe_id={} serial={} renew_in={}", t.id,
                    svid.serialNumber().toString(16), delay);
        } catch (RuntimeException e) {
            Duration lifetime = ca.settings().svidLifetime();
            delay = lifetime.dividedBy(10).compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : lifetime.dividedBy(10);
            log.warn("event=svid_source.issue_failed spiffe_id={} retry_in={} reason={}", t.id, delay, e.toString());
        }
        if (closed || tracked.get(t.id) != t) {
            return;   // the last subscription closed while the SVID was being published
        }
        t.cancelRenewal = scheduler.schedule(() -> renewScheduled(t), delay.isNegative() ? Duration.ZERO : delay);
    }

    private static void cancelRenewal(Tracked t) {
        Runnable cancel = t.cancelRenewal;
        t.cancelRenewal = null;
        if (cancel != null) {
            cancel.run();
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key pair", e);
        }
    }

    /** A CSR as a workload makes it; the CA ignores the subject and decides the SPIFFE ID itself. */
    private static PKCS10CertificationRequest csr(KeyPair keys) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=workload"), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a CSR", e);
        }
    }

    private static Scheduler executorScheduler() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "bulwark-svid-renewal");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return new Scheduler() {
            @Override
            public Runnable schedule(Runnable task, Duration delay) {
                try {
                    ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                    return () -> future.cancel(false);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return () -> { };   // closing: nothing more runs
                }
            }

            @Override
            public void close() {
                executor.shutdownNow();
            }
        };
    }
}
