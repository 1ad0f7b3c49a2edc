package dev.bulwark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.TestCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the order service's internal port, which serves only mTLS with SVIDs and accepts only
 * {@code spiffe://ecomm.local/gateway}. Each refusal must end the connection before any HTTP, be
 * logged ({@code event=tls.refused reason=...}) and be counted in the order service's
 * {@code bulwark_tls_handshake_failures_total{reason}}.
 *
 * <p>The system runs with 20-second SVIDs so that an SVID kept from start-up has expired by the last
 * test. This JVM gets real SVIDs by registering its own pid, as the launcher registers a component.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class InternalPortAttackE2EIT {

    LocalSystem system;
    WorkloadIdentity.Snapshot keptFromStart;
    String revokedSerial = "(none)";
    int orderPort;
    URI orderMetrics;
    @TempDir
    Path files;

    @BeforeAll
    void startSystem() {
        // the ecomm domain alone: these attacks are on its internal port
        system = LocalSystem.start("h2", List.of("--without-logistics", "--set", "identity:bulwark.identity.svid-lifetime=PT20S"));
        orderPort = system.port("order");
        orderMetrics = system.metrics("order");
        keptFromStart = WorkloadIdentity.svid(system, "gateway");
    }

    @AfterAll
    void stopSystem() {
        if (system != null) {
            WorkloadIdentity.forget(system);
            system.close();
        }
    }

    @Test
    @Order(1)
    void clientWithoutCertificateCannotConnect() {
        double before = Prometheus.handshakeFailures(orderMetrics, "no_certificate");

        InternalPort.Outcome outcome = InternalPort.get(LocalSystem.trusting(system.trustBundle()), orderPort, "/orders");

        assertThat(outcome.refused()).as(outcome.toString()).isTrue();
        assertRefusalCountedAndLogged("no_certificate", before);
    }

    @Test
    @Order(2)
    void certificateFromAnotherCaIsRefused() {
        double before = Prometheus.handshakeFailures(orderMetrics, "untrusted_chain");
        // claims the gateway's SPIFFE ID, signed by the attacker's own root; our side trusts the real bundle
        MutableSvidSupplier forged = MutableSvidSupplier.of(TestCa.create("attacker root").issue("gateway"),
                LocalSystem.readCertificates(system.trustBundle()));

        InternalPort.Outcome outcome = InternalPort.get(InternalPort.client(forged, "order"), orderPort, "/orders");

        assertThat(outcome.refused()).as(outcome.toString()).isTrue();
        assertRefusalCountedAndLogged("untrusted_chain", before);
    }

    @Test
    @Order(3)
    void validSvidWhoseSpiffeIdIsNotAllowedIsRefused() {
        double before = Prometheus.handshakeFailures(orderMetrics, "spiffe_id_not_allowed");
        WorkloadIdentity.Snapshot intruder = WorkloadIdentity.svid(system, "intruder");
        assertThat(intruder.leaf().getNotAfter().toInstant()).isAfter(Instant.now());

        InternalPort.Outcome outcome = InternalPort.get(InternalPort.client(intruder, "order"), orderPort, "/orders");

        assertThat(outcome.refused()).as(outcome.toString()).isTrue();
        assertRefusalCountedAndLogged("spiffe_id_not_allowed", before);
    }

    /**
     * The SVID is revoked before the order service ever saw it: a "good" OCSP answer it had already
     * cached would be reused for up to 5 minutes (security-kit's bound), the price of not asking the
     * responder on every handshake.
     */
    @Test
    @Order(4)
    void revokedSvidIsRefused() {
        WorkloadIdentity.Snapshot gateway = WorkloadIdentity.svid(system, "gateway");
        double before = Prometheus.handshakeFailures(orderMetrics, "revoked");

        revokedSerial = gateway.serialHex();
        CommandResult revoke = system.bulwarkScript("revoke", gateway.serialHex(), "--reason", "keyCompromise");
        assertThat(revoke.exitCode()).as(revoke.output()).isZero();
        InternalPort.Outcome outcome = InternalPort.get(InternalPort.client(gateway, "order"), orderPort, "/orders");

        assertThat(gateway.leaf().getNotAfter().toInstant()).as("still within its lifetime").isAfter(Instant.now());
        assertThat(outcome.refused()).as(outcome.toString()).isTrue();
        assertRefusalCountedAndLogged("revoked", before);
    }

    @Test
    @Order(5)
    void allowedSvidGetsPastTlsToTheService() {
        // the gateway's SVID is re-issued at half-life (10 s here), so one that is not revoked comes soon
        InternalPort.Outcome[] last = new InternalPort.Outcome[1];
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            WorkloadIdentity.Snapshot gateway = WorkloadIdentity.svid(system, "gateway");
            last[0] = InternalPort.get(InternalPort.client(gateway, "order"), orderPort, "/orders");
            // past TLS: the order service itself answers, 401 without a user-context JWT
            assertThat(last[0].statusLine()).as(last[0] + " (revoked serial " + revokedSerial + ")").hasValue("HTTP/1.1 401");
        });
    }

    @Test
    @Order(6)
    void opensslSClientWithoutCertificateFailsTheHandshake() {
        double before = Prometheus.handshakeFailures(orderMetrics, "no_certificate");

        CommandResult sClient = CommandResult.run(List.of("bash", "-c",
                "printf 'GET /orders HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' | timeout 20 openssl s_client"
                        + " -connect 127.0.0.1:" + orderPort + " -servername localhost -CAfile " + system.trustBundle()
                        + " -ign_eof"), Duration.ofSeconds(30));

        assertThat(sClient.output()).as(sClient.output()).containsIgnoringCase("alert")
                .doesNotContain("HTTP/1.1 ");
        assertRefusalCountedAndLogged("no_certificate", before);
    }

    @Test
    @Order(7)
    void opensslOcspSaysGoodForALiveSvidAndRevokedAfterRevocation() {
        WorkloadIdentity.Snapshot svid = WorkloadIdentity.svid(system, "e2e-ocsp");
        Path leaf = files.resolve("leaf.pem");
        Path issuer = files.resolve("intermediate.pem");
        svid.writePem(leaf, issuer);
        String ocspUrl = (String) system.component("identity").get("ocsp");
        List<String> ocsp = List.of("openssl", "ocsp", "-issuer", issuer.toString(), "-cert", leaf.toString(),
                "-url", ocspUrl, "-CAfile", system.trustBundle().toString());

        CommandResult good = CommandResult.run(ocsp, Duration.ofSeconds(30));
        assertThat(good.output()).as(good.output()).contains(leaf + ": good").contains("Response verify OK");

        CommandResult revoke = system.bulwarkScript("revoke", svid.serialHex());
        assertThat(revoke.exitCode()).as(revoke.output()).isZero();

        CommandResult revoked = CommandResult.run(ocsp, Duration.ofSeconds(30));
        assertThat(revoked.output()).as(revoked.output()).contains(leaf + ": revoked").contains("Response verify OK")
                .contains("Reason: keyCompromise");
    }

    @Test
    @Order(8)
    void revokeOfAnUnknownSerialFailsWithExitCode1() {
        CommandResult revoke = system.bulwarkScript("revoke", "0123456789abcdef");

        assertThat(revoke.exitCode()).as(revoke.output()).isEqualTo(1);
        assertThat(revoke.output()).contains("no SVID with serial 123456789abcdef");
    }

    @Test
    @Order(9)
    void expiredSvidIsRefused() {
        Instant notAfter = keptFromStart.leaf().getNotAfter().toInstant();
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(notAfter.plusSeconds(1)));
        double before = Prometheus.handshakeFailures(orderMetrics, "expired");

        InternalPort.Outcome outcome = InternalPort.get(InternalPort.client(keptFromStart, "order"), orderPort, "/orders");

        assertThat(outcome.refused()).as(outcome.toString()).isTrue();
        assertRefusalCountedAndLogged("expired", before);
    }

    private void assertRefusalCountedAndLogged(String reason, double before) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(Prometheus.handshakeFailures(orderMetrics, reason)).as("refusals %s", reason).isGreaterThan(before);
            assertThat(orderLog()).contains("event=tls.refused reason=" + reason);
        });
    }

    private String orderLog() {
        try {
            return Files.readString(system.home.resolve("logs/order.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
