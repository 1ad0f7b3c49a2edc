package dev.bulwark.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import javax.net.ssl.SSLContext;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.gateway.GatewayApplication;
import dev.bulwark.gateway.support.EchoUpstream;
import dev.bulwark.gateway.support.FakeSts;
import dev.bulwark.policy.CedarPolicyEngine;
import dev.bulwark.securitykit.boot.TlsProbe;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.RevocationChecker;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.SvidSupplier;
import dev.bulwark.securitykit.tls.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The gateway's policy admin API with workload identity: mutual TLS from the gateway's SVID, only
 * {@code spiffe://ecomm.local/admin} gets past the handshake, and pushed ownership data changes what the
 * edge allows at once.
 */
class GatewayPolicyAdminIT {

    static final String GATEWAY = "spiffe://ecomm.local/gateway";
    static final String ORDER_7 = """
            [{"uid":{"type":"Bulwark::Order","id":"o-7"},
              "attrs":{"owner":{"__entity":{"type":"Bulwark::User","id":"alice"}}},
              "parents":[{"type":"Bulwark::Collection","id":"orders"}]}]""";
    static final TestCa CA = TestCa.create("policy admin root");
    static final MutableSvidSupplier GATEWAY_SVIDS = CA.supplier("gateway");
    static FakeSts sts;
    static EchoUpstream upstream;
    static ECKey stsKey;
    static ConfigurableApplicationContext gateway;
    static int port;
    static int adminPort;

    @BeforeAll
    static void start() throws Exception {
        sts = new FakeSts(SpiffeTls.serverContext(CA.supplier("sts"), SpiffeIdPolicy.oneOf(GATEWAY), HandshakeFailureListener.NONE));
        upstream = new EchoUpstream(SpiffeTls.serverContext(CA.supplier("order"), SpiffeIdPolicy.oneOf(GATEWAY),
                HandshakeFailureListener.NONE));
        stsKey = new ECKeyGenerator(Curve.P_256).keyID("sts-1").generate();
        sts.publish(stsKey);
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            adminPort = socket.getLocalPort();
        }
        RevocationChecker good = path -> new RevocationChecker.Verdict(RevocationChecker.Status.GOOD, "");
        gateway = new SpringApplicationBuilder(GatewayApplication.class)
                .initializers(context -> {
                    ((GenericApplicationContext) context).registerBean(SvidSupplier.class, () -> GATEWAY_SVIDS);
                    ((GenericApplicationContext) context).registerBean(RevocationChecker.class, () -> good);
                })
                .run("--server.port=0",
                        "--server.address=127.0.0.1",
                        "--management.server.port=0",
                        "--management.server.address=127.0.0.1",
                        "--bulwark.workload.socket=/nonexistent/agent.sock",
                        "--bulwark.gateway.throttle.enabled=false",
                        "--bulwark.gateway.issuer=https://sts.test",
                        "--bulwark.gateway.jwk-set-uri=" + sts.uri("/oauth2/jwks"),
                        "--bulwark.gateway.introspection-uri=" + sts.uri("/oauth2/introspect"),
                        "--bulwark.gateway.order-service-uri=" + upstream.uri(),
                        "--bulwark.gateway.policy.admin.port=" + adminPort);
        port = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        sts.close();
        upstream.close();
    }

    @Test
    void adminPushesOrderOwnershipAndTheEdgeEnforcesItAtOnce() throws Exception {
        assertThat(edgeGet("/api/orders/o-7", "mallory")).startsWith("HTTP/1.1 200");   // owner unknown to the gateway

        HttpResponse<String> pushed = admin(client("admin"), "PUT", "/admin/policy/entities", ORDER_7);

        assertThat(pushed.statusCode()).isEqualTo(204);
        String denied = edgeGet("/api/orders/o-7", "mallory");
        assertThat(denied).startsWith("HTTP/1.1 403").contains("denied by policy").contains("Bulwark-Decision-Id");
        assertThat(edgeGet("/api/orders/o-7", "alice")).startsWith("HTTP/1.1 200");
        HttpResponse<String> status = admin(client("admin"), "GET", "/admin/policy/status", null);
        assertThat(status.body()).contains("\"pushed_entities\":1");
    }

    @Test
    void workloadThatIsNotTheAdminIsRefusedInTheHandshake() {
        int before = ((CedarPolicyEngine) gateway.getBean(GatewayPolicy.class).engine()).status().pushedEntities();

        assertThatThrownBy(() -> admin(client("order"), "PUT", "/admin/policy/entities", "[]")).isInstanceOf(IOException.class);

        assertThat(((CedarPolicyEngine) gateway.getBean(GatewayPolicy.class).engine()).status().pushedEntities()).isEqualTo(before);
    }

    private static String edgeGet(String path, String subject) throws Exception {
        TlsProbe.Result result = TlsProbe.get(TlsProbe.anonymous(CA.bundle()), port, path,
                Map.of("Authorization", "Bearer " + token(subject)));
        assertThat(result.failure()).isNull();
        return result.response();
    }

    private static SSLContext client(String name) {
        return SpiffeTls.clientContext(CA.supplier(name), SpiffeIdPolicy.oneOf(GATEWAY), HandshakeFailureListener.NONE);
    }

    private static HttpResponse<String> admin(SSLContext tls, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + adminPort + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try (HttpClient http = HttpClient.newBuilder().sslContext(tls).sslParameters(SpiffeTls.clientParameters(tls))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String token(String subject) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("sts-1").build(),
                new JWTClaimsSet.Builder().issuer("https://sts.test").audience("bulwark-api").subject(subject)
                        .claim("client_id", "web").claim("scope", "orders:read").issueTime(Date.from(now))
                        .notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build());
        jwt.sign(new ECDSASigner(stsKey));
        return jwt.serialize();
    }
}
