package dev.bulwark.identity.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.ca.WorkloadCaSettings;
import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.securitykit.pki.Pem;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootRotationTests {

    private static final Duration PROPAGATION = Duration.ofMillis(300);
    private static final Duration OVERLAP = Duration.ofMillis(500);

    @TempDir
    Path dir;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Clock clock = Clock.systemUTC();
    private WorkloadCa ca;
    private IdentityMetrics metrics;
    private RootRotation rotation;

    @BeforeEach
    void createCa() {
        ca = WorkloadCa.loadOrCreate(dir.resolve("root.pem"), dir.resolve("root-key.pem"),
                WorkloadCaSettings.defaults(TrustDomain.DEFAULT), clock);
        metrics = new IdentityMetrics(ca, clock);
        rotation = new RootRotation(ca, dir.resolve("root.pem"), dir.resolve("root-key.pem"), PROPAGATION, OVERLAP, scheduler,
                metrics, event -> { }, clock);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void startThenPreparedNowActivatedAfterPropagationAndOldRootRetiredAfterOverlap() {
        X509Certificate oldRoot = ca.bundle().getFirst();
        Instant before = clock.instant();

        RootRotation.Started started = rotation.start().orElseThrow();

        assertThat(started.previous().certificate()).isEqualTo(oldRoot);
        assertThat(ca.bundle()).containsExactly(oldRoot, started.root().certificate());
        assertThat(ca.activeRoot().certificate()).as("not signing yet").isEqualTo(oldRoot);
        assertThat(started.activatesAt()).isBetween(before.plus(PROPAGATION), clock.instant().plus(PROPAGATION));
        assertThat(started.previousRetiredAt()).isEqualTo(started.activatesAt().plus(OVERLAP));

        await().atMost(Duration.ofSeconds(5)).until(() -> ca.activeRoot().equals(started.root()));
        assertThat(ca.activeIntermediate().certificate().getIssuerX500Principal())
                .isEqualTo(started.root().certificate().getSubjectX500Principal());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(Pem.readCertificate(dir.resolve("root.pem"))).isEqualTo(started.root().certificate()));
        assertThat(metrics.scrape()).contains("bulwark_identity_root_rotations_total 1.0");

        await().atMost(Duration.ofSeconds(5)).until(() -> ca.bundle().size() == 1);
        assertThat(ca.bundle()).containsExactly(started.root().certificate());
        assertThat(ca.intermediates()).containsExactly(ca.activeIntermediate());
        await().atMost(Duration.ofSeconds(5)).until(() -> rotation.current().isEmpty());
    }

    @Test
    void secondRotationWhileOneIsUnderWayIsRefusedUntilTheOldRootIsRetired() {
        RootRotation.Started first = rotation.start().orElseThrow();

        assertThat(rotation.start()).isEmpty();
        assertThat(rotation.current()).contains(first);
        assertThat(ca.bundle()).hasSize(2);

        await().atMost(Duration.ofSeconds(5)).until(() -> rotation.current().isEmpty());
        RootRotation.Started second = rotation.start().orElseThrow();
        assertThat(second.previous()).isEqualTo(first.root());
    }

    @Test
    void rootPreparedOutsideThisRotationMeansUnderWay() {
        ca.prepareRoot();

        assertThat(rotation.start()).isEmpty();
    }
}
