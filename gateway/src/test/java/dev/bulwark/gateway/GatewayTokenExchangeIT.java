package dev.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

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
import dev.bulwark.gateway.support.StubTokenEndpoint;
import dev.bulwark.securitykit.boot.TlsProbe;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.RevocationChecker;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.securitykit.tls.SvidSupplier;
import dev.bulwark.securitykit.tls.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The logistics gateway: callers' tokens come from the ecomm STS (JWKS over workload mTLS, presenting
 * {@code spiffe://ecomm.local/sts}, a federated trust domain); the route is {@code /api/deliveries} →
 * delivery {@code /deliveries} with the delivery scopes; the upstream credential is the caller's token
 * exchanged at the logistics STS (a stub token endpoint needing the gateway's client certificate). The
 * delivery stub must present {@code spiffe://logistics.local/delivery}.
 */
class GatewayTokenExchangeIT {

    static final String GATEWAY = "spiffe://logistics.local/gateway";
    static final String ECOMM_ISSUER = "https://ecomm-sts.test";
    static final String PROBLEM_502 = "{\"type\":\"about:blank\",\"title\":\"Bad Gateway\",\"status\":502}";
    static final String PROBLEM_401 = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401}";
    static final TestCa ECOMM = TestCa.create("ecomm root");
    static final TestCa LOGISTICS = TestCa.create("logistics root");
    static FakeSts ecommSts;
    static StubTokenEndpoint logisticsSts;
    static EchoUpstream delivery;
    static ECKey ecommKey;
    static ConfigurableApplicationContext gateway;
    static int port;
    static int managementPort;

    static Svid svid(TestCa ca, String spiffeId) {
        Instant now = Instant.now();
        return ca.issue(List.of(spiffeId), now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)), false);
    }

    static SSLContext server(TestCa own, String spiffeId) {
        MutableSvidSupplier svids = MutableSvidSupplier.of(svid(own, spiffeId), own.bundle(),
                own == ECOMM ? Map.of("logistics.local", LOGISTICS.bundle()) : Map.of());
        return SpiffeTls.serverContext(svids, SpiffeIdPolicy.oneOf(GATEWAY), HandshakeFailureListener.NONE);
    }

    @BeforeAll
    static void start() throws Exception {
        ecommSts = new FakeSts(server(ECOMM, "spiffe://ecomm.local/sts"));
        logisticsSts = new StubTokenEndpoint(server(LOGISTICS, "spiffe://logistics.local/sts"));
        delivery = new EchoUpstream(server(LOGISTICS, "spiffe://logistics.local/delivery"));
        ecommKey = new ECKeyGenerator(Curve.P_256).keyID("ecomm-1").generate();
        ecommSts.publish(ecommKey);
        MutableSvidSupplier gatewaySvids = MutableSvidSupplier.of(svid(LOGISTICS, GATEWAY), LOGISTICS.bundle(),
                Map.of("ecomm.local", ECOMM.bundle()));
        RevocationChecker good = path -> new RevocationChecker.Verdict(RevocationChecker.Status.GOOD, "");
        gateway = new SpringApplicationBuilder(GatewayApplication.class)
                .initializers(context -> {
                    ((GenericApplicationContext) context).registerBean(SvidSupplier.class, () -> gatewaySvids);
                    ((GenericApplicationContext) context).registerBean(RevocationChecker.class, () -> good);
                })
                .run("--server.port=0",
                        "--server.address=127.0.0.1",
                        "--management.server.port=0",
                        "--management.server.address=127.0.0.1",
                        "--bulwark.workload.socket=/nonexistent/agent.sock",
                        "--bulwark.gateway.issuer=" + ECOMM_ISSUER,
                        "--bulwark.gateway.jwk-set-uri=" + ecommSts.uri("/oauth2/jwks"),
                        "--bulwark.gateway.sts-spiffe-id=spiffe://ecomm.local/sts",
                        "--bulwark.gateway.audience=logistics-gateway",
                        "--bulwark.gateway.route.uri=" + delivery.uri(),
                        "--bulwark.gateway.route.spiffe-id=spiffe://logistics.local/delivery",
                        "--bulwark.gateway.route.path-prefix=/api/deliveries",
                        "--bulwark.gateway.route.upstream-path=/deliveries",
                        "--bulwark.gateway.route.read-scope=delivery:read",
                        "--bulwark.gateway.route.write-scope=delivery:write",
                        "--bulwark.gateway.upstream-credential=token-exchange",
                        "--bulwark.gateway.token-exchange.token-uri=" + logisticsSts.uri("/oauth2/token"),
                        "--bulwark.gateway.token-exchange.sts-spiffe-id=spiffe://logistics.local/sts",
                        "--bulwark.gateway.token-exchange.client-id=logistics-gateway",
                        "--bulwark.gateway.token-exchange.audience=delivery-service");
        port = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
        managementPort = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.management.port"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        ecommSts.close();
        logisticsSts.close();
        delivery.close();
    }

    /** An ecomm-STS-issued token, as the order service gets it for the logistics gateway. */
    static String token(String subject, String scope, String audience) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ecomm-1").build(),
                new JWTClaimsSet.Builder().issuer(ECOMM_ISSUER).audience(audience).subject(subject)
                        .claim("scope", scope).claim("client_id", "order-service")
                        .claim("act", Map.of("sub", "spiffe://ecomm.local/order"))
                        .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString()).build());
        jwt.sign(new ECDSASigner(ecommKey));
        return jwt.serialize();
    }

    static String token(String subject, String scope) throws Exception {
        return token(subject, scope, "logistics-gateway");
    }

    @Test
    void forwardsTheExchangedTokenAndNeverTheCallersOwn() throws Exception {
        String incoming = token("peter", "delivery:write");
        int calls = logisticsSts.calls();

        Response response = send("POST", "/api/deliveries", incoming, "{\"orderId\":\"o-1\"}");

        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        EchoUpstream.Seen seen = delivery.last();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.path()).isEqualTo("/deliveries");
        assertThat(seen.clientCertificate()).isNotNull();
        assertThat(seen.header("authorization")).containsExactly("Bearer " + logisticsSts.issued().getLast());
        assertThat(seen.headers().values()).allSatisfy(values -> assertThat(values).noneMatch(v -> v.contains(incoming)));
        assertThat(logisticsSts.calls()).isEqualTo(calls + 1);
        StubTokenEndpoint.Request exchange = logisticsSts.requests().getLast();
        assertThat(exchange.form()).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .containsEntry("subject_token", incoming)
                .containsEntry("audience", "delivery-service")
                .containsEntry("client_id", "logistics-gateway");
        assertThat(exchange.clientCertificateSubject()).as("the gateway authenticates with its SVID").isNotNull();
    }

    @Test
    void tokenExchangeAtTheStsIsPartOfTheRequestsTrace() throws Exception {
        Response response = send("POST", "/api/deliveries", token("tracy-" + UUID.randomUUID(), "delivery:write"), "{}");

        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        String upstream = delivery.last().header("traceparent").getFirst();
        String sts = logisticsSts.requests().getLast().traceparent();
        assertThat(sts).as("traceparent of the token exchange request").isNotNull();
        // W3C traceparent: 00-<trace id>-<parent span id>-<flags>
        assertThat(sts.split("-")[1]).isEqualTo(upstream.split("-")[1]);
    }

    @Test
    void exchangedTokenIsCachedPerSubjectIdentityNotPerTokenBytes() throws Exception {
        Response first = send("POST", "/api/deliveries", token("anna", "delivery:write"), "{}");
        String forwarded = delivery.last().header("authorization").getFirst();
        int calls = logisticsSts.calls();
        double hits = metric("bulwark_token_exchange_cache_total{result=\"hit\"}");

        Response second = send("POST", "/api/deliveries", token("anna", "delivery:write"), "{}");

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(logisticsSts.calls()).isEqualTo(calls);
        assertThat(delivery.last().header("authorization")).containsExactly(forwarded);
        assertThat(metric("bulwark_token_exchange_cache_total{result=\"hit\"}")).isEqualTo(hits + 1);
    }

    @Test
    void callerTokenRefusedByTheStsIs401WithTheFixedBodyAndNothingForwarded() throws Exception {
        int hits = delivery.hits();

        Response response = send("POST", "/api/deliveries", token("refused", "delivery:write"), "{}");

        assertThat(response.status()).as(response.raw()).isEqualTo(401);
        assertThat(response.header("www-authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
        assertThat(response.body()).isEqualTo(PROBLEM_401);
        assertThat(delivery.hits()).isEqualTo(hits);
    }

    @Test
    void stsFailingOrHangingUpIs502WithTheFixedBodyAndNothingForwarded() throws Exception {
        int hits = delivery.hits();

        Response broken = send("POST", "/api/deliveries", token("broken", "delivery:write"), "{}");
        Response hangup = send("POST", "/api/deliveries", token("hangup", "delivery:write"), "{}");

        for (Response response : List.of(broken, hangup)) {
            assertThat(response.status()).as(response.raw()).isEqualTo(502);
            assertThat(response.body()).isEqualTo(PROBLEM_502);
            assertThat(response.raw()).doesNotContain("Exception").doesNotContain("exchanged-");
        }
        assertThat(delivery.hits()).isEqualTo(hits);
    }

    @Test
    void noScopeGrantableAtTheStsIs403() throws Exception {
        int hits = delivery.hits();

        Response response = send("POST", "/api/deliveries", token("scopeless", "delivery:write"), "{}");

        assertThat(response.status()).as(response.raw()).isEqualTo(403);
        assertThat(response.header("www-authenticate")).isEqualTo("Bearer error=\"insufficient_scope\"");
        assertThat(delivery.hits()).isEqualTo(hits);
    }

    @Test
    void theConfiguredRouteEnforcesItsOwnScopes() throws Exception {
        int hits = delivery.hits();
        String writer = token("peter", "delivery:write");
        String orderScopes = token("peter", "orders:read orders:write");

        Response readWithWriteScope = send("GET", "/api/deliveries/d-1", writer, null);
        Response postWithOrderScopes = send("POST", "/api/deliveries", orderScopes, "{}");
        Response delete = send("DELETE", "/api/deliveries/d-1", token("peter", "delivery:read delivery:write"), null);
        Response orders = send("GET", "/api/orders/1", orderScopes, null);

        assertThat(readWithWriteScope.status()).isEqualTo(403);
        assertThat(readWithWriteScope.header("www-authenticate"))
                .isEqualTo("Bearer error=\"insufficient_scope\", scope=\"delivery:read\"");
        assertThat(postWithOrderScopes.status()).isEqualTo(403);
        assertThat(postWithOrderScopes.header("www-authenticate"))
                .isEqualTo("Bearer error=\"insufficient_scope\", scope=\"delivery:write\"");
        assertThat(delete.status()).isEqualTo(403);
        assertThat(orders.status()).as("the order route does not exist here").isEqualTo(404);
        assertThat(delivery.hits()).isEqualTo(hits);

        Response read = send("GET", "/api/deliveries/d-1", token("peter", "delivery:read"), null);

        assertThat(read.status()).as(read.raw()).isEqualTo(200);
        assertThat(delivery.last().path()).isEqualTo("/deliveries/d-1");
    }

    @Test
    void tokensNotAddressedToThisGatewayAndOpaqueTokensAre401WithoutIntrospection() throws Exception {
        int calls = logisticsSts.calls();

        Response wrongAudience = send("POST", "/api/deliveries", token("peter", "delivery:write", "order-service"), "{}");
        Response opaque = send("POST", "/api/deliveries", "an-opaque-token", "{}");

        assertThat(wrongAudience.status()).isEqualTo(401);
        assertThat(opaque.status()).isEqualTo(401);
        assertThat(opaque.header("www-authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
        assertThat(logisticsSts.calls()).isEqualTo(calls);
    }

    static double metric(String series) throws Exception {
        String page;
        try (HttpClient http = HttpClient.newHttpClient()) {
            page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        for (String line : page.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        throw new AssertionError(series + " not in " + page);
    }

    record Response(String raw) {

        int status() {
            return Integer.parseInt(raw.substring(9, 12));
        }

        String header(String name) {
            for (String line : raw.substring(0, raw.indexOf("\r\n\r\n")).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }

        String body() {
            return raw.substring(raw.indexOf("\r\n\r\n") + 4);
        }
    }

    /** One request over a fresh TLS connection (no client certificate), the whole response as text. */
    static Response send(String method, String path, String bearer, String body) throws IOException {
        SSLContext context = TlsProbe.anonymous(LOGISTICS.bundle());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String request = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Authorization: Bearer " + bearer + "\r\n"
                    + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n")
                    + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            return new Response(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
