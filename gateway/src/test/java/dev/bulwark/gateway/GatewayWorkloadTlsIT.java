package dev.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.gateway.support.EchoUpstream;
import dev.bulwark.gateway.support.FakeSts;
import dev.bulwark.securitykit.boot.Peers;
import dev.bulwark.securitykit.boot.TlsProbe;
import dev.bulwark.securitykit.tls.TestCa;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.RevocationChecker;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.SvidSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The gateway with workload identity: the edge serves the gateway's SVID without asking for a client
 * certificate; JWKS comes from an STS that presents {@code spiffe://ecomm.local/sts}; the upstream
 * must present {@code spiffe://ecomm.local/order}, and sees the gateway's SVID.
 */
class GatewayWorkloadTlsIT {

    static final String GATEWAY = "spiffe://ecomm.local/gateway";
    static final TestCa CA = TestCa.create("workload root");
    static final MutableSvidSupplier GATEWAY_SVIDS = CA.supplier("gateway");
    static final MutableSvidSupplier ORDER_SVIDS = CA.supplier("order");
    static FakeSts sts;
    static EchoUpstream upstream;
    static ECKey stsKey;
    static ConfigurableApplicationContext gateway;
    static int port;
    static int managementPort;

    @BeforeAll
    static void start() throws Exception {
        sts = new FakeSts(SpiffeTls.serverContext(CA.supplier("sts"), SpiffeIdPolicy.oneOf(GATEWAY), HandshakeFailureListener.NONE));
        upstream = new EchoUpstream(SpiffeTls.serverContext(ORDER_SVIDS, SpiffeIdPolicy.oneOf(GATEWAY), HandshakeFailureListener.NONE));
        stsKey = new ECKeyGenerator(Curve.P_256).keyID("sts-1").generate();
        sts.publish(stsKey);
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
                        // a new connection (and handshake) per request, so that an SVID change shows at once
                        "--spring.cloud.gateway.server.webflux.httpclient.pool.type=disabled",
                        "--bulwark.gateway.issuer=https://sts.test",
                        "--bulwark.gateway.jwk-set-uri=" + sts.uri("/oauth2/jwks"),
                        "--bulwark.gateway.introspection-uri=" + sts.uri("/oauth2/introspect"),
                        "--bulwark.gateway.order-service-uri=" + upstream.uri());
        port = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
        managementPort = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.management.port"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        sts.close();
        upstream.close();
    }

    static Map<String, String> bearer() throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("sts-1").build(),
                new JWTClaimsSet.Builder().issuer("https://sts.test").audience("bulwark-api").subject("peter")
                        .claim("scope", "orders:read").issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString()).build());
        jwt.sign(new ECDSASigner(stsKey));
        return Map.of("Authorization", "Bearer " + jwt.serialize());
    }

    @Test
    void edgeServesTheGatewaySvidWithoutClientCertificateAndTheOrderServiceSeesTheGateway() throws Exception {
        TlsProbe.Result result = TlsProbe.get(TlsProbe.anonymous(CA.bundle()), port, "/api/orders", bearer());

        assertThat(result.ok()).as(result.response() + " " + result.failure()).isTrue();
        assertThat(Peers.spiffeId(result.serverLeaf())).isEqualTo(GATEWAY);
        assertThat(upstream.last().path()).isEqualTo("/orders");
        assertThat(upstream.last().clientCertificate()).isNotNull();
    }

    @Test
    void upstreamThatIsNotTheOrderServiceIsRefused() throws Exception {
        Map<String, String> bearer = bearer();
        TlsProbe.get(TlsProbe.anonymous(CA.bundle()), port, "/api/orders", bearer); // JWKS fetched
        int hits = upstream.hits();
        double before = refusals("spiffe_id_not_allowed");
        ORDER_SVIDS.updateSvid(CA.issue("inventory"));
        try {
            TlsProbe.Result result = TlsProbe.get(TlsProbe.anonymous(CA.bundle()), port, "/api/orders", bearer);

            assertThat(result.ok()).isFalse();
            assertThat(result.response()).startsWith("HTTP/1.1 502").contains("\"title\":\"Bad Gateway\"")
                    .doesNotContain("spiffe").doesNotContain("Exception");
            assertThat(upstream.hits()).isEqualTo(hits);
            assertThat(refusals("spiffe_id_not_allowed")).isEqualTo(before + 1);
        } finally {
            ORDER_SVIDS.updateSvid(CA.issue("order"));
        }
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
