package dev.bulwark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Certificates rotate under load and nobody notices: with 10-second SVIDs (renewed at about half-life)
 * a steady 20 requests per second through the gateway to the order service see no failure, first
 * for 60 s of plain SVID rotation, then for 30 s across an intermediate CA rotation
 * ({@code ./bulwark rotate intermediate}) in the middle, then for 35 s across a root CA rotation
 * ({@code ./bulwark rotate root}; the load's client trusts what {@code pki/bundle.pem} holds, as a
 * user must across a root change). Bounded in time: each phase stops by itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RotationUnderLoadE2EIT {

    static final Duration INTERVAL = Duration.ofMillis(50);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    LocalSystem system;
    HttpClient client;
    String token;
    String orderId;

    @BeforeAll
    void startSystem() {
        // the ecomm domain alone: the rotating workloads are the gateway and the order service
        system = LocalSystem.start("h2", List.of("--without-logistics", "--set", "identity:bulwark.identity.svid-lifetime=PT10S"));
        client = system.httpFollowingBundle();
        token = system.userToken("peter", "peter123", "orders:read orders:write");
        HttpResponse<String> placed = system.postJson("/api/orders", token, EdgeAttackSuite.ORDER);
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        orderId = (String) LocalSystem.json(placed.body()).get("orderId");
    }

    @AfterAll
    void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sixtySecondsOfRequestsAcrossSvidRotationsSeeNoFailure() {
        token = system.userToken("peter", "peter123", "orders:read"); // a fresh one for each phase (5 min tokens)
        double gatewayBefore = Prometheus.svidRotations(system.metrics("gateway"));
        double orderBefore = Prometheus.svidRotations(system.metrics("order"));

        Load load = load(Duration.ofSeconds(60), null);

        assertThat(load.failures()).as("failed requests of %d: %s", load.sent(), load.samples()).isEmpty();
        assertThat(load.sent()).isGreaterThanOrEqualTo(60 * 15);
        assertThat(Prometheus.svidRotations(system.metrics("gateway")) - gatewayBefore).as("gateway rotations")
                .isGreaterThanOrEqualTo(4);
        assertThat(Prometheus.svidRotations(system.metrics("order")) - orderBefore).as("order rotations")
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    @Order(2)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void thirtySecondsOfRequestsAcrossAnIntermediateRotationSeeNoFailure() {
        token = system.userToken("peter", "peter123", "orders:read");
        double orderBefore = Prometheus.svidRotations(system.metrics("order"));
        List<CommandResult> rotation = new ArrayList<>();

        Load load = load(Duration.ofSeconds(30), () -> rotation.add(system.bulwarkScript("rotate", "intermediate")));

        assertThat(rotation).hasSize(1);
        assertThat(rotation.get(0).exitCode()).as(rotation.get(0).output()).isZero();
        assertThat(rotation.get(0).output()).contains("new intermediate");
        assertThat(load.failures()).as("failed requests of %d: %s", load.sent(), load.samples()).isEmpty();
        assertThat(load.sent()).isGreaterThanOrEqualTo(30 * 15);
        assertThat(Prometheus.svidRotations(system.metrics("order")) - orderBefore).isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(3)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void thirtySecondsOfRequestsAcrossARootRotationSeeNoFailure() throws Exception {
        token = system.userToken("peter", "peter123", "orders:read");
        List<X509Certificate> rootsBefore = LocalSystem.readCertificates(system.trustBundle());
        List<CommandResult> rotation = new ArrayList<>();

        // prepared at 15 s, signing from 20 s (the 5 s propagation), the old root retired at 30 s (one 10 s SVID lifetime)
        Load load = load(Duration.ofSeconds(35), () -> rotation.add(system.bulwarkScript("rotate", "root")));

        assertThat(rotation).hasSize(1);
        assertThat(rotation.get(0).exitCode()).as(rotation.get(0).output()).isZero();
        assertThat(rotation.get(0).output()).contains("new root");
        assertThat(load.failures()).as("failed requests of %d: %s", load.sent(), load.samples()).isEmpty();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<X509Certificate> roots = LocalSystem.readCertificates(system.trustBundle());
            assertThat(roots).hasSize(1).doesNotContainAnyElementsOf(rootsBefore);
        });
    }

    /** What a load phase saw. */
    record Load(int sent, List<String> failures) {

        List<String> samples() {
            return failures.subList(0, Math.min(5, failures.size()));
        }
    }

    /**
     * Sends {@code GET /api/orders/<id>} every 50 ms for {@code duration} without waiting for answers
     * (a slow answer does not lower the rate), runs {@code midway} once at half time, then waits for
     * every answer. A failure is any status but 200, or no answer within 10 s.
     */
    private Load load(Duration duration, Runnable midway) {
        URI uri = system.gateway("/api/orders/" + orderId);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        Instant start = Instant.now();
        Instant end = start.plus(duration);
        Instant half = start.plus(duration.dividedBy(2));
        CompletableFuture<Void> midwayDone = CompletableFuture.completedFuture(null);
        boolean midwayStarted = midway == null;
        for (Instant next = start; next.isBefore(end); next = next.plus(INTERVAL)) {
            sleepUntil(next);
            if (!midwayStarted && !next.isBefore(half)) {
                midwayStarted = true;
                midwayDone = CompletableFuture.runAsync(midway);
            }
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + token).GET().build();
            int number = sent.incrementAndGet();
            inFlight.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .handle((response, error) -> {
                        if (error != null) {
                            failures.add("#" + number + " " + error);
                        } else if (response.statusCode() != 200) {
                            failures.add("#" + number + " HTTP " + response.statusCode() + " "
                                    + response.body().substring(0, Math.min(200, response.body().length())));
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
        midwayDone.orTimeout(60, TimeUnit.SECONDS).join();
        return new Load(sent.get(), List.copyOf(failures));
    }

    private static void sleepUntil(Instant instant) {
        Duration wait = Duration.between(Instant.now(), instant);
        if (!wait.isNegative() && !wait.isZero()) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
