package dev.bulwark.identity.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.ca.WorkloadCaSettings;
import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.identity.workload.SvidUpdate;
import dev.bulwark.identity.workload.X509SvidSource;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issuance, renewal schedule and re-issue on CA change, with a fixed clock and a hand-run scheduler. */
class CaSvidSourceTests {

    private static final String ORDER = "spiffe://ecomm.local/order";
    private static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
    private static final Duration LIFETIME = Duration.ofHours(1);

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final WorkloadCa ca = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.parse("ecomm.local")), clock);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<SvidUpdate> received = new ArrayList<>();

    @Test
    void renewalTimeIsHalfTheLifetimeMinusAtMostFivePercent() {
        Instant notAfter = NOW.plus(LIFETIME);
        assertThat(CaSvidSource.renewalTime(NOW, notAfter, 0.0)).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(CaSvidSource.renewalTime(NOW, notAfter, 1.0)).isEqualTo(NOW.plus(Duration.ofMinutes(27)));
        assertThat(CaSvidSource.renewalTime(NOW, notAfter, 0.5)).isEqualTo(NOW.plus(Duration.ofSeconds(1710)));
        assertThat(CaSvidSource.renewalTime(NOW, NOW.minusSeconds(1), 0.0)).isEqualTo(NOW);
    }

    @Test
    void firstSubscriptionIssuesSvidForTheIdAndSchedulesRenewalAtHalfLife() throws Exception {
        try (CaSvidSource source = new CaSvidSource(ca, clock, scheduler, () -> 0.0)) {
            source.subscribe(ORDER, received::add);

            assertThat(received).singleElement().satisfies(update -> {
                assertThat(update.spiffeId()).isEqualTo(ORDER);
                List<X509Certificate> chain = certificates(update.certificateChainDer());
                assertThat(chain).hasSize(2);
                assertThat(chain.get(0).getSubjectAlternativeNames()).singleElement()
                        .isEqualTo(List.of(6, ORDER));
                assertThat(chain.get(1)).isEqualTo(ca.activeIntermediate().certificate());
                assertThat(certificates(update.bundleDer())).isEqualTo(ca.bundle());
            });
            assertThat(scheduler.delays()).containsExactly(Duration.ofMinutes(30));
        }
    }

    @Test
    void jitterMovesRenewalEarlierByAtMostFivePercent() {
        try (CaSvidSource source = new CaSvidSource(ca, clock, scheduler, () -> 0.999)) {
            source.subscribe(ORDER, received::add);

            assertThat(scheduler.delays()).singleElement()
                    .satisfies(d -> assertThat(d).isBetween(Duration.ofMinutes(27), Duration.ofMinutes(30)));
        }
    }

    @Test
    void renewalPublishesNewSvidWithNewKeyAndSerialAndSchedulesTheNext() throws Exception {
        try (CaSvidSource source = new CaSvidSource(ca, clock, scheduler, () -> 0.0)) {
            source.subscribe(ORDER, received::add);

            scheduler.runNext();
            scheduler.runNext();

            assertThat(received).hasSize(3);
            assertThat(received.stream().map(u -> serial(u)).distinct()).hasSize(3);
            assertThat(received.stream().map(u -> new BigInteger(1, u.privateKeyPkcs8Der())).distinct()).hasSize(3);
            assertThat(scheduler.pending()).hasSize(1);
        }
    }

    @Test
    void secondSubscriberGetsTheCurrentSvidWithoutNewIssuance() {
        try (CaSvidSource source = new CaSvidSource(ca, clock, scheduler, () -> 0.0)) {
            source.subscribe(ORDER, received::add);
            List<SvidUpdate> second = new ArrayList<>();
            source.subscribe(ORDER, second::add);

            assertThat(second).isEqualTo(received);
            assertThat(scheduler.pending()).hasSize(1);
        }
    }

    @Test
    void intermediateRotationReissuesEverySvidUnderTheNewIntermediate() throws Exception {
        try (CaSvidSource source = new CaSvidSource(ca, clock, scheduler, () -> 0.0)) {
            source.subscribe(ORDER, received::add);
            source.subscribe("spiffe://ecomm.local/gateway", received::add);
            received.clear();

            X509Certificate next = ca.rotateIntermediate().certificate();
            assertThat(scheduler.delays()).contains(Duration.ZERO);
            scheduler.runNext();

            assertThat(received).hasSize(2).allSatisfy(update ->
                    assertThat(certificates(update.certificateChainDer()).get(1)).isEqualTo(next));
            assertThat(scheduler.pending()).hasSize(2);      // one renewal per ID, the old ones cancelled
        }
    }

    @Test
    void subscriberClosingItselfWhileBeingFedDuringReissueStopsOnlyItsRenewal() {
        try (CaSvidSource source = new CaSvidSource(ca, clock, scheduler, () -> 0.0)) {
            X509SvidSource.Subscription[] self = new X509SvidSource.Subscription[1];
            self[0] = source.subscribe(ORDER, update -> {
                if (self[0] != null) {
                    self[0].close();
                }
            });
            source.subscribe("spiffe://ecomm.local/gateway", received::add);
            received.clear();

            ca.rotateIntermediate();
            scheduler.runNext();

            assertThat(received).singleElement().satisfies(u -> assertThat(u.spiffeId()).isEqualTo("spiffe://ecomm.local/gateway"));
            assertThat(scheduler.pending()).hasSize(1);
        }
    }

    @Test
    void preparedRootIsPublishedInTheBundle() throws Exception {
        try (CaSvidSource source = new CaSvidSource(ca, clock, scheduler, () -> 0.0)) {
            source.subscribe(ORDER, received::add);
            X509Certificate newRoot = ca.prepareRoot().certificate();
            scheduler.runNext();

            assertThat(certificates(received.getLast().bundleDer())).hasSize(2).contains(newRoot);
        }
    }

    @Test
    void closingTheLastSubscriptionStopsRenewal() {
        try (CaSvidSource source = new CaSvidSource(ca, clock, scheduler, () -> 0.0)) {
            X509SvidSource.Subscription first = source.subscribe(ORDER, received::add);
            X509SvidSource.Subscription second = source.subscribe(ORDER, u -> { });
            first.close();
            first.close();
            assertThat(scheduler.pending()).hasSize(1);

            second.close();

            assertThat(scheduler.pending()).isEmpty();
        }
    }

    @Test
    void closedSourceRefusesSubscriptionsAndStopsListeningToTheCa() {
        CaSvidSource source = new CaSvidSource(ca, clock, scheduler, () -> 0.0);
        source.subscribe(ORDER, received::add);
        source.close();

        assertThat(scheduler.pending()).isEmpty();
        assertThat(scheduler.closed).isTrue();
        ca.rotateIntermediate();
        assertThat(scheduler.pending()).isEmpty();
        assertThatThrownBy(() -> source.subscribe(ORDER, received::add)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void idOutsideTheTrustDomainOrWithoutPathIsRefused() {
        try (CaSvidSource source = new CaSvidSource(ca, clock, scheduler, () -> 0.0)) {
            assertThatThrownBy(() -> source.subscribe("spiffe://other.local/order", received::add))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> source.subscribe("spiffe://ecomm.local", received::add))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(received).isEmpty();
            assertThat(scheduler.pending()).isEmpty();
        }
    }

    private static BigInteger serial(SvidUpdate update) {
        try {
            return certificates(update.certificateChainDer()).get(0).getSerialNumber();
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<X509Certificate> certificates(byte[] der) throws CertificateException {
        return (List<X509Certificate>) (List<?>) List.copyOf(
                CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(der)));
    }

    /** Records tasks; the test runs them in order of scheduling. */
    static final class ManualScheduler implements CaSvidSource.Scheduler {
        record Task(Runnable task, Duration delay, boolean[] cancelled) {
        }

        private final List<Task> tasks = new ArrayList<>();
        boolean closed;

        @Override
        public synchronized Runnable schedule(Runnable task, Duration delay) {
            Task t = new Task(task, delay, new boolean[1]);
            tasks.add(t);
            return () -> t.cancelled()[0] = true;
        }

        synchronized List<Task> pending() {
            return tasks.stream().filter(t -> !t.cancelled()[0]).toList();
        }

        List<Duration> delays() {
            return pending().stream().map(Task::delay).toList();
        }

        /** Runs the earliest-scheduled pending task (a CA change is scheduled with delay zero, run it first). */
        void runNext() {
            Task next;
            synchronized (this) {
                next = pending().stream().filter(t -> t.delay().isZero()).findFirst()
                        .orElseGet(() -> pending().getFirst());
                tasks.remove(next);
            }
            next.task().run();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
