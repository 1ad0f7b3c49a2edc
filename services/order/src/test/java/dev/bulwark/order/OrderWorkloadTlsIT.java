package dev.bulwark.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import dev.bulwark.securitykit.boot.TlsProbe;
import dev.bulwark.securitykit.tls.TestCa;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.RevocationChecker;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.securitykit.tls.SvidSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The order service as the launcher starts it with workload identity: its API port serves the
 * service's SVID and lets only the gateway's SPIFFE ID in (the allow-list in application.properties),
 * with revocation checked; the management port stays plain HTTP on loopback.
 */
class OrderWorkloadTlsIT {

    static final TestCa CA = TestCa.create("workload root");
    static final MutableSvidSupplier SVIDS = CA.supplier("order");
    static ConfigurableApplicationContext order;
    static int port;
    static int managementPort;

    @BeforeAll
    static void start() {
        RevocationChecker good = path -> new RevocationChecker.Verdict(RevocationChecker.Status.GOOD, "");
        order = new SpringApplicationBuilder(OrderApplication.class)
                .initializers(context -> {
                    // the Workload API's place: the SVID comes from a test CA, revocation from a fake responder
                    ((GenericApplicationContext) context).registerBean(SvidSupplier.class, () -> SVIDS);
                    ((GenericApplicationContext) context).registerBean(RevocationChecker.class, () -> good);
                })
                .run("--server.port=0",
                        "--server.address=127.0.0.1",
                        "--management.server.port=0",
                        "--management.server.address=127.0.0.1",
                        "--spring.main.banner-mode=off",
                        "--spring.datasource.url=jdbc:h2:mem:order-tls;DB_CLOSE_DELAY=-1",
                        "--bulwark.workload.socket=/nonexistent/agent.sock",
                        // with workload TLS the downstream settings are required; these tests place no order
                        "--bulwark.order.inventory.uri=https://127.0.0.1:9",
                        "--bulwark.order.delivery.flow=off",
                        "--bulwark.order.user-context.jwk-set-file=" + TestTokens.gateway().jwkSetFile());
        port = Integer.parseInt(order.getEnvironment().getRequiredProperty("local.server.port"));
        managementPort = Integer.parseInt(order.getEnvironment().getRequiredProperty("local.management.port"));
    }

    @AfterAll
    static void stop() {
        if (order != null) {
            order.close();
        }
    }

    static SSLContext client(Svid svid) {
        return SpiffeTls.clientContext(MutableSvidSupplier.of(svid, CA.bundle()),
                SpiffeIdPolicy.oneOf("spiffe://ecomm.local/order"), HandshakeFailureListener.NONE);
    }

    @Test
    void gatewayWithAUserContextTokenReadsOrders() {
        TlsProbe.Result result = TlsProbe.get(client(CA.issue("gateway")), port, "/orders",
                Map.of("Authorization", "Bearer " + TestTokens.gateway().token("peter", "orders:read")));

        assertThat(result.ok()).as(String.valueOf(result.failure())).isTrue();
    }

    @Test
    void anotherWorkloadThanTheGatewayCannotConnect() throws Exception {
        double before = refusals("spiffe_id_not_allowed");

        TlsProbe.Result result = TlsProbe.get(client(CA.issue("inventory")), port, "/orders",
                Map.of("Authorization", "Bearer " + TestTokens.gateway().token("peter", "orders:read")));

        assertThat(result.response()).isNull();
        assertThat(result.failure()).isNotNull();
        assertThat(refusals("spiffe_id_not_allowed")).isEqualTo(before + 1);
    }

    @Test
    void clientWithoutCertificateCannotConnect() throws Exception {
        double before = refusals("no_certificate");

        TlsProbe.Result result = TlsProbe.get(TlsProbe.anonymous(CA.bundle()), port, "/orders");

        assertThat(result.ok()).isFalse();
        long deadline = System.currentTimeMillis() + 10_000;
        while (refusals("no_certificate") < before + 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(refusals("no_certificate")).isEqualTo(before + 1);
    }

    static double refusals(String reason) throws Exception {
        String page;
        try (HttpClient http = HttpClient.newHttpClient()) {
            page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        Matcher m = Pattern.compile("(?m)^bulwark_tls_handshake_failures_total\\{reason=\"" + reason + "\"} (\\S+)$").matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
