package dev.bulwark.policy;

import static dev.bulwark.policy.Requests.onOrder;
import static dev.bulwark.policy.Requests.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.TestCa;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The policy admin API over real mutual TLS: only the admin SPIFFE ID pushes entity data. */
class PolicyAdminServerIT {

    private static final String ADMIN = "spiffe://ecomm.local/admin";
    private static final String OWNED_ORDER = """
            [{"uid":{"type":"Bulwark::Order","id":"o-7"},
              "attrs":{"owner":{"__entity":{"type":"Bulwark::User","id":"alice"}}},
              "parents":[{"type":"Bulwark::Collection","id":"orders"}]}]""";

    private final TestCa ca = TestCa.create("policy-admin-test");
    private final CedarPolicyEngine engine = CedarPolicyEngine.fromClasspathDefaults(new SimpleMeterRegistry());
    // the server lets any workload of the trust domain finish the handshake, so the 403 path is reachable
    private final PolicyAdminServer server = PolicyAdminServer.start(0,
            SpiffeTls.serverContext(ca.supplier("gateway"), SpiffeIdPolicy.anyIn("ecomm.local"), HandshakeFailureListener.NONE),
            ADMIN, engine);

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    @Test
    void adminPushesOwnershipAndTheEngineEnforcesIt() throws Exception {
        assertThat(engine.decide(onOrder(user("mallory", "orders:read"), Actions.READ, "o-7", null)).result())
                .isEqualTo(PolicyDecision.Result.ALLOW);   // owner unknown: left to the order service

        HttpResponse<String> pushed = send(client("admin"), "PUT", "/admin/policy/entities", OWNED_ORDER);

        assertThat(pushed.statusCode()).isEqualTo(204);
        assertThat(engine.decide(onOrder(user("mallory", "orders:read"), Actions.READ, "o-7", null)).result())
                .isEqualTo(PolicyDecision.Result.DENY);
        assertThat(engine.decide(onOrder(user("alice", "orders:read"), Actions.READ, "o-7", null)).result())
                .isEqualTo(PolicyDecision.Result.ALLOW);
        HttpResponse<String> status = send(client("admin"), "GET", "/admin/policy/status", null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"policies\":5", "\"pushed_entities\":1", "\"last_error\":null");
    }

    @Test
    void invalidEntityDataIsA400ProblemAndNothingChanges() throws Exception {
        send(client("admin"), "PUT", "/admin/policy/entities", OWNED_ORDER);

        HttpResponse<String> refused = send(client("admin"), "PUT", "/admin/policy/entities",
                "[{\"uid\":{\"type\":\"Bulwark::Order\",\"id\":\"o-7\"},\"attrs\":{\"owner\":42},\"parents\":[]}]");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("\"status\":400", "\"title\":\"Bad Request\"", "owner");
        assertThat(engine.status().pushedEntities()).isEqualTo(1);
        assertThat(engine.decide(onOrder(user("mallory", "orders:read"), Actions.READ, "o-7", null)).result())
                .isEqualTo(PolicyDecision.Result.DENY);
    }

    @Test
    void workloadThatIsNotTheAdminGets403AndNothingChanges() throws Exception {
        HttpResponse<String> refused = send(client("order"), "PUT", "/admin/policy/entities", OWNED_ORDER);

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("spiffe://ecomm.local/order", "expected: " + ADMIN).doesNotContain("o-7");
        assertThat(engine.status().pushedEntities()).isZero();
        assertThat(send(client("order"), "GET", "/admin/policy/status", null).statusCode()).isEqualTo(403);
    }

    @Test
    void clientWithoutCertificateCannotConnect() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.root());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext noCertificate = SSLContext.getInstance("TLS");
        noCertificate.init(null, tmf.getTrustManagers(), null);

        assertThatThrownBy(() -> send(noCertificate, "PUT", "/admin/policy/entities", OWNED_ORDER)).isInstanceOf(IOException.class);
        assertThat(engine.status().pushedEntities()).isZero();
    }

    @Test
    void oversizedBodyIs413AndWrongMethodIs405AndUnknownPathIs404() throws Exception {
        String huge = "[" + " ".repeat(PolicyAdminServer.MAX_BODY_BYTES) + "]";
        assertThat(send(client("admin"), "PUT", "/admin/policy/entities", huge).statusCode()).isEqualTo(413);
        assertThat(send(client("admin"), "POST", "/admin/policy/entities", "[]").statusCode()).isEqualTo(405);
        assertThat(send(client("admin"), "GET", "/admin/policy/secrets", null).statusCode()).isEqualTo(404);
    }

    private SSLContext client(String name) {
        return SpiffeTls.clientContext(ca.supplier(name), SpiffeIdPolicy.oneOf("spiffe://ecomm.local/gateway"),
                HandshakeFailureListener.NONE);
    }

    private HttpResponse<String> send(SSLContext tls, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build();
        try (HttpClient http = HttpClient.newBuilder().sslContext(tls).sslParameters(SpiffeTls.clientParameters(tls))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
