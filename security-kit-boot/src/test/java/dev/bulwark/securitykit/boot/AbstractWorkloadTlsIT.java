package dev.bulwark.securitykit.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import dev.bulwark.securitykit.tls.TestCa;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.PeerRefusedException;
import dev.bulwark.securitykit.tls.RefusalReason;
import dev.bulwark.securitykit.tls.RevocationChecker;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.securitykit.tls.SvidSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * One application, servlet or reactive, serving TLS from a {@link MutableSvidSupplier} as the
 * workload {@code spiffe://ecomm.local/order} that only {@code spiffe://ecomm.local/gateway} may call,
 * probed by real TLS clients; the management port is plain HTTP and shows the metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractWorkloadTlsIT {

    static final String GATEWAY = "spiffe://ecomm.local/gateway";
    static final String ORDER = "spiffe://ecomm.local/order";

    final TestCa ca = TestCa.create("workload root");
    final MutableSvidSupplier serverSvids = ca.supplier("order");
    final Set<BigInteger> revoked = ConcurrentHashMap.newKeySet();
    ConfigurableApplicationContext app;
    int port;
    int managementPort;

    abstract Class<?> application();

    abstract WebApplicationType type();

    @BeforeAll
    void start() {
        RevocationChecker checker = path -> revoked.contains(path.get(0).getSerialNumber())
                ? new RevocationChecker.Verdict(RevocationChecker.Status.REVOKED, "revoked in the test")
                : new RevocationChecker.Verdict(RevocationChecker.Status.GOOD, "");
        app = new SpringApplicationBuilder(application())
                .web(type())
                .initializers(context -> {
                    GenericApplicationContext generic = (GenericApplicationContext) context;
                    generic.registerBean(SvidSupplier.class, () -> serverSvids);
                    generic.registerBean(RevocationChecker.class, () -> checker);
                })
                .run("--server.port=0",
                        "--server.address=127.0.0.1",
                        "--management.server.port=0",
                        "--management.server.address=127.0.0.1",
                        "--management.endpoints.web.exposure.include=health,prometheus",
                        "--spring.main.banner-mode=off",
                        "--bulwark.workload.socket=/nonexistent/agent.sock",
                        "--bulwark.workload.server.client-auth=need",
                        "--bulwark.workload.server.allowed-clients=" + GATEWAY);
        port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
        managementPort = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.management.port"));
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    SSLContext client(Svid svid) {
        return client(svid, ca.bundle());
    }

    SSLContext client(Svid svid, java.util.List<java.security.cert.X509Certificate> bundle) {
        return SpiffeTls.clientContext(MutableSvidSupplier.of(svid, bundle), SpiffeIdPolicy.oneOf(ORDER),
                HandshakeFailureListener.NONE);
    }

    @Test
    void allowedClientGets200AndTheServerPresentsItsSvid() {
        TlsProbe.Result result = TlsProbe.get(client(ca.issue("gateway")), port, "/hello");

        assertThat(result.failure()).isNull();
        assertThat(result.ok()).as(result.response()).isTrue();
        assertThat(result.response()).endsWith("hello " + GATEWAY);
        assertThat(Peers.spiffeId(result.serverLeaf())).isEqualTo(ORDER);
    }

    @Test
    void clientWithoutCertificateCannotConnect() throws Exception {
        double before = failures("no_certificate");

        TlsProbe.Result result = TlsProbe.get(TlsProbe.anonymous(ca.bundle()), port, "/hello");

        assertThat(result.ok()).isFalse();
        awaitFailures("no_certificate", before + 1);
    }

    @Test
    void clientWithCertificateFromAnotherCaCannotConnect() throws Exception {
        TestCa other = TestCa.create("another root");
        double before = failures("untrusted_chain");

        TlsProbe.Result result = TlsProbe.get(client(other.issue("gateway"), ca.bundle()), port, "/hello");

        assertThat(result.ok()).isFalse();
        awaitFailures("untrusted_chain", before + 1);
    }

    @Test
    void clientWithExpiredCertificateCannotConnect() throws Exception {
        double before = failures("expired");

        TlsProbe.Result result = TlsProbe.get(client(ca.issueExpired("gateway")), port, "/hello");

        assertThat(result.ok()).isFalse();
        awaitFailures("expired", before + 1);
    }

    @Test
    void clientWhoseSpiffeIdIsNotAllowedCannotConnect() throws Exception {
        double before = failures("spiffe_id_not_allowed");

        TlsProbe.Result result = TlsProbe.get(client(ca.issue("inventory")), port, "/hello");

        assertThat(result.ok()).isFalse();
        awaitFailures("spiffe_id_not_allowed", before + 1);
        assertThat(app.getBean(TlsRefusals.class).count(RefusalReason.SPIFFE_ID_NOT_ALLOWED)).isPositive();
    }

    @Test
    void clientWithRevokedCertificateCannotConnect() throws Exception {
        Svid gateway = ca.issue("gateway");
        revoked.add(gateway.leaf().getSerialNumber());
        double before = failures("revoked");

        TlsProbe.Result result = TlsProbe.get(client(gateway), port, "/hello");

        assertThat(result.ok()).isFalse();
        awaitFailures("revoked", before + 1);
    }

    @Test
    void tls11IsRefused() {
        TlsProbe.Result result = TlsProbe.get(client(ca.issue("gateway")), port, "/hello", "TLSv1.1");

        assertThat(result.ok()).isFalse();
        // the server's alert, not the client's refusal to offer TLS 1.1 (see tls11-allowed.security)
        assertThat(result.failure()).isInstanceOf(javax.net.ssl.SSLException.class).hasMessageContaining("protocol_version");
    }

    @Test
    void tls12IsServedWithAnAeadSuite() throws Exception {
        SSLContext context = client(ca.issue("gateway"));
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                .createSocket(java.net.InetAddress.getLoopbackAddress(), port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(socket.getSession().getCipherSuite()).matches("TLS_ECDHE_ECDSA_WITH_.*(_GCM_|CHACHA20).*");
        }
    }

    @Test
    void renewedSvidIsPresentedWithoutRestart() throws Exception {
        double rotations = metric("bulwark_svid_rotations_total", null);
        Svid renewed = ca.issue("order");

        serverSvids.updateSvid(renewed);
        TlsProbe.Result result = TlsProbe.get(client(ca.issue("gateway")), port, "/hello");

        assertThat(result.ok()).as(String.valueOf(result.failure())).isTrue();
        assertThat(result.serverLeaf().getSerialNumber()).isEqualTo(renewed.leaf().getSerialNumber());
        assertThat(metric("bulwark_svid_rotations_total", null)).isEqualTo(rotations + 1);
        assertThat(metric("bulwark_svid_expiry_seconds", null)).isBetween(3000.0, 3600.0);
    }

    @Test
    void workloadClientContextRefusesAServerWithAnotherSpiffeId() {
        WorkloadTls tls = app.getBean(WorkloadTls.class);
        long before = app.getBean(TlsRefusals.class).count(RefusalReason.SPIFFE_ID_NOT_ALLOWED);

        TlsProbe.Result result = TlsProbe.get(tls.clientContext("spiffe://ecomm.local/sts"), port, "/hello");

        assertThat(result.failure()).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        assertThat(causes(result.failure())).anyMatch(PeerRefusedException.class::isInstance);
        assertThat(app.getBean(TlsRefusals.class).count(RefusalReason.SPIFFE_ID_NOT_ALLOWED)).isGreaterThan(before);
    }

    private static java.util.List<Throwable> causes(Throwable t) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
            all.add(c);
        }
        return all;
    }

    double failures(String reason) throws Exception {
        return metric("bulwark_tls_handshake_failures_total", reason);
    }

    void awaitFailures(String reason, double atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (failures(reason) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(failures(reason)).isGreaterThanOrEqualTo(atLeast);
    }

    /** A value from the plain-HTTP management port's Prometheus page. */
    double metric(String name, @org.jspecify.annotations.Nullable String reason) throws Exception {
        HttpResponse<String> page;
        try (HttpClient http = HttpClient.newHttpClient()) {
            page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(page.statusCode()).isEqualTo(200);
        String labels = reason == null ? "(\\{[^}]*\\})?" : "\\{[^}]*reason=\"" + reason + "\"[^}]*\\}";
        Matcher m = Pattern.compile("(?m)^" + name + labels + " (\\S+)$").matcher(page.body());
        assertThat(m.find()).as(name + " " + reason + " in\n" + page.body()).isTrue();
        return Double.parseDouble(m.group(m.groupCount()));
    }
}
