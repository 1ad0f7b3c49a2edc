package dev.bulwark.identity.server;

import dev.bulwark.identity.ca.WorkloadCa;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * The identity process's metrics, scraped in the Prometheus text format at
 * {@code /actuator/prometheus}: {@code bulwark_identity_svids_issued_total},
 * {@code bulwark_identity_revocations_total}, {@code bulwark_identity_intermediate_rotations_total},
 * {@code bulwark_identity_root_rotations_total} (roots activated) and
 * {@code bulwark_identity_intermediate_expiry_seconds} (seconds until the signing intermediate expires).
 */
final class IdentityMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter svidsIssued = Counter.builder("bulwark.identity.svids.issued")
            .description("X.509-SVIDs issued").register(registry);
    private final Counter revocations = Counter.builder("bulwark.identity.revocations")
            .description("certificates revoked through the admin API").register(registry);
    private final Counter rotations = Counter.builder("bulwark.identity.intermediate.rotations")
            .description("intermediate CA rotations").register(registry);

    private final Counter rootRotations = Counter.builder("bulwark.identity.root.rotations")
            .description("root CA rotations (a new root activated)").register(registry);

    IdentityMetrics(WorkloadCa ca, Clock clock) {
        Gauge.builder("bulwark.identity.intermediate.expiry.seconds",
                        () -> Duration.between(clock.instant(), ca.activeIntermediate().notAfter()).toSeconds())
                .description("seconds until the signing intermediate CA expires").register(registry);
    }

    void svidIssued() {
        svidsIssued.increment();
    }

    void revoked() {
        revocations.increment();
    }

    void intermediateRotated() {
        rotations.increment();
    }

    void rootRotated() {
        rootRotations.increment();
    }

    /** Issued SVIDs since start. */
    long svidsIssued() {
        return (long) svidsIssued.count();
    }

    /** The Prometheus text exposition. */
    String scrape() {
        return registry.scrape();
    }
}
