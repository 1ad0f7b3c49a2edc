package dev.bulwark.identity.server;

import dev.bulwark.identity.ca.Authority;
import dev.bulwark.identity.ca.WorkloadCa;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A root CA rotation in the running process, one at a time, in three steps:
 * <ol>
 *   <li><b>prepared</b> (at once): a new root joins the bundle, not signing; {@code CaSvidSource}
 *       re-issues every SVID, so every workload receives the two-root bundle over the Workload API;</li>
 *   <li><b>activated</b> after the propagation delay, when every workload already trusts the new root:
 *       a new intermediate under it signs, every SVID is re-issued under it, and the root files under
 *       {@code <home>/pki/} are replaced by the new root (so a restart keeps it);</li>
 *   <li><b>retired</b> one SVID lifetime after activation, when no SVID chained to the old root is still
 *       valid: the old root and its intermediates leave the bundle.</li>
 * </ol>
 * A restart before activation abandons the rotation (the prepared root lived in memory only).
 */
final class RootRotation {

    private static final Logger log = LoggerFactory.getLogger(RootRotation.class);

    /** A rotation under way: the new root, the one it replaces, and when each later step is due. */
    record Started(Authority root, Authority previous, Instant activatesAt, Instant previousRetiredAt) {
    }

    private final WorkloadCa ca;
    private final Path rootCertificate;
    private final Path rootKey;
    private final Duration propagation;
    private final Duration overlap;
    private final ScheduledExecutorService scheduler;
    private final IdentityMetrics metrics;
    private final Consumer<String> audit;
    private final Clock clock;
    private @Nullable Started current;

    /**
     * @param propagation how long the new root is trusted before it signs
     * @param overlap how long the old root stays trusted after the new one signs (one SVID lifetime)
     * @param audit receives the security event of the activation
     */
    RootRotation(WorkloadCa ca, Path rootCertificate, Path rootKey, Duration propagation, Duration overlap,
            ScheduledExecutorService scheduler, IdentityMetrics metrics, Consumer<String> audit, Clock clock) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.rootCertificate = Objects.requireNonNull(rootCertificate, "rootCertificate");
        this.rootKey = Objects.requireNonNull(rootKey, "rootKey");
        this.propagation = Objects.requireNonNull(propagation, "propagation");
        this.overlap = Objects.requireNonNull(overlap, "overlap");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Prepares a new root now and schedules the rest; empty when a root rotation is already under way. */
    synchronized Optional<Started> start() {
        if (current != null) {
            return Optional.empty();
        }
        Authority previous = ca.activeRoot();
        Authority root;
        try {
            root = ca.prepareRoot();
        } catch (IllegalStateException e) {
            return Optional.empty();   // prepared by someone else, outside this API
        }
        Instant activatesAt = clock.instant().plus(propagation);
        Started started = new Started(root, previous, activatesAt, activatesAt.plus(overlap));
        current = started;
        log.info("event=ca.root_rotation phase=prepared root={} previous={} activates_at={} previous_retired_at={}",
                root.keyId(), previous.keyId(), started.activatesAt(), started.previousRetiredAt());
        scheduler.schedule(() -> activate(started), propagation.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.of(started);
    }

    /** The rotation under way, if any (until its old root is retired). */
    synchronized Optional<Started> current() {
        return Optional.ofNullable(current);
    }

    private void activate(Started started) {
        Authority intermediate;
        try {
            intermediate = ca.activateRoot();
        } catch (RuntimeException e) {
            // the rotation stays "under way" (409), so that nobody stacks another root on a half-done one
            log.error("event=ca.root_rotation phase=activation_failed root={} reason={}", started.root().keyId(), e.toString());
            return;
        }
        metrics.rootRotated();
        try {
            ca.saveActiveRoot(rootCertificate, rootKey);
        } catch (RuntimeException e) {
            // serving goes on with the new root; a restart now would come back with the old one
            log.error("event=ca.root_rotation phase=save_failed root={} file={} reason={}", started.root().keyId(),
                    rootCertificate, e.toString());
        }
        Instant retireAt = clock.instant().plus(overlap);
        log.info("event=ca.root_rotation phase=activated root={} intermediate={} previous={} previous_retired_at={}",
                started.root().keyId(), intermediate.keyId(), started.previous().keyId(), retireAt);
        audit.accept("event=ca_root_activated root=" + started.root().keyId() + " intermediate=" + intermediate.keyId()
                + " previous=" + started.previous().keyId());
        scheduler.schedule(() -> retire(started), overlap.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void retire(Started started) {
        try {
            ca.retireRoot(started.previous().certificate());
            log.info("event=ca.root_rotation phase=retired root={} active_root={}", started.previous().keyId(),
                    started.root().keyId());
        } catch (RuntimeException e) {
            log.error("event=ca.root_rotation phase=retirement_failed root={} reason={}", started.previous().keyId(), e.toString());
        } finally {
            synchronized (this) {
                current = null;
            }
        }
    }
}
