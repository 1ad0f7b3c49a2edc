package dev.bulwark.order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.SSLContext;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.order.downstream.Downstream;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.RevocationChecker;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.SvidSupplier;
import dev.bulwark.securitykit.tls.TestCa;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The order service with workload identity (SVIDs from a test CA in place of the Workload API) between real
 * in-process HTTPS stubs of the ecomm STS, the inventory, the logistics STS, the delivery service and the
 * logistics gateway, each serving its own SPIFFE ID and letting only the order service in. The STS stubs sign
 * real JWTs (a throw-away EC key) with the claims an STS would set, so the tests can read who asked for what.
 */
final class PlacementFixture implements AutoCloseable {

    static final String ORDER_ID = "spiffe://ecomm.local/order";
    static final String LOGISTICS_ISSUER = "https://logistics-sts.test";
    static final String ECOMM_ISSUER = "https://ecomm-sts.test";
    static final JsonMapper JSON = JsonMapper.builder().build();

    final TestCa ca = TestCa.create("placement root");
    final MutableSvidSupplier orderSvids = MutableSvidSupplier.of(ca.issue("order"), ca.bundle(),
            Map.of("logistics.local", ca.bundle()));
    final HttpsStub sts = HttpsStub.start(ca, "spiffe://ecomm.local/sts", ORDER_ID);
    final HttpsStub inventory = HttpsStub.start(ca, "spiffe://ecomm.local/inventory", ORDER_ID);
    final HttpsStub logisticsSts = HttpsStub.start(ca, "spiffe://logistics.local/sts", ORDER_ID);
    final HttpsStub delivery = HttpsStub.start(ca, "spiffe://logistics.local/delivery", ORDER_ID);
    final HttpsStub logisticsGateway = HttpsStub.start(ca, "spiffe://logistics.local/gateway", ORDER_ID);
    final ECKey stsKey = TestTokens.newKey();
    final ConfigurableApplicationContext order;
    final int port;
    final int managementPort;
    private final HttpClient gateway;

    PlacementFixture(String... settings) {
        reset();
        RevocationChecker good = path -> new RevocationChecker.Verdict(RevocationChecker.Status.GOOD, "");
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--management.server.port=0", "--management.server.address=127.0.0.1",
                "--spring.main.banner-mode=off", "--spring.jmx.enabled=false",
                "--spring.datasource.url=jdbc:h2:mem:placement-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "--bulwark.workload.socket=/nonexistent/agent.sock",
                "--bulwark.order.user-context.jwk-set-file=" + TestTokens.gateway().jwkSetFile(),
                "--bulwark.order.sts.token-uri=" + sts.uri() + "/oauth2/token",
                "--bulwark.order.inventory.uri=" + inventory.uri(),
                "--bulwark.order.delivery.uri=" + delivery.uri(),
                "--bulwark.order.logistics-sts.issuer=" + LOGISTICS_ISSUER,
                "--bulwark.order.logistics-sts.token-uri=" + logisticsSts.uri() + "/oauth2/token",
                "--bulwark.order.logistics-gateway.uri=" + logisticsGateway.uri(),
                "--bulwark.order.downstream-timeout=5s"));
        args.addAll(List.of(settings));
        order = new SpringApplicationBuilder(OrderApplication.class)
            .initializers(context -> {
                ((GenericApplicationContext) context).registerBean(SvidSupplier.class, () -> orderSvids);
                ((GenericApplicationContext) context).registerBean(RevocationChecker.class, () -> good);
            })
            .run(args.toArray(String[]::new));
        port = Integer.parseInt(order.getEnvironment().getRequiredProperty("local.server.port"));
        managementPort = Integer.parseInt(order.getEnvironment().getRequiredProperty("local.management.port"));
        SSLContext asGateway = SpiffeTls.clientContext(MutableSvidSupplier.of(ca.issue("gateway"), ca.bundle()),
                SpiffeIdPolicy.oneOf(ORDER_ID), HandshakeFailureListener.NONE);
        gateway = HttpClient.newBuilder().sslContext(asGateway).sslParameters(SpiffeTls.clientParameters(asGateway))
            .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Every stub answers as a healthy service would; recorded requests are forgotten. */
    void reset() {
        for (HttpsStub stub : List.of(sts, inventory, logisticsSts, delivery, logisticsGateway)) {
            stub.requests().clear();
        }
        sts.respond(request -> issue(ECOMM_ISSUER, request));
        logisticsSts.respond(request -> issue(LOGISTICS_ISSUER, request));
        inventory.respond(request -> "PUT".equals(request.method())
                ? HttpsStub.Reply.json(200, "{\"reservationId\":\"" + UUID.randomUUID() + "\",\"items\":[]}")
                : new HttpsStub.Reply(204, "application/json", ""));
        HttpsStub.Responder scheduled = request -> HttpsStub.Reply.json(201,
                "{\"deliveryId\":\"" + UUID.randomUUID() + "\",\"orderId\":\"x\",\"status\":\"SCHEDULED\"}");
        delivery.respond(scheduled);
        logisticsGateway.respond(scheduled);
    }

    /** An STS's token response: a JWT for the presented token's subject, addressed as asked. */
    HttpsStub.Reply issue(String issuer, HttpsStub.Request request) {
        Map<String, String> form = form(request.body());
        String presented = form.getOrDefault("subject_token", form.get("assertion"));
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer)
            .subject(claims(presented).getSubject())
            .audience(form.get("audience"))
            .claim("scope", form.get("scope"))
            .claim("client_id", form.get("client_id"))
            .claim("act", Map.of("sub", ORDER_ID))
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(300)))
            .jwtID(UUID.randomUUID().toString())
            .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(stsKey.getKeyID()).build(), claims);
        try {
            jwt.sign(new ECDSASigner(stsKey));
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
        return HttpsStub.Reply.json(200, JSON.writeValueAsString(Map.of("access_token", jwt.serialize(),
                "issued_token_type", "urn:ietf:params:oauth:token-type:access_token", "token_type", "Bearer",
                "expires_in", 300, "scope", form.getOrDefault("scope", ""))));
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    /** The claims of a JWT, not verified (the stubs issued them). */
    static JWTClaimsSet claims(String jwt) {
        try {
            return JWTParser.parse(jwt).getJWTClaimsSet();
        }
        catch (ParseException ex) {
            throw new IllegalArgumentException("not a JWT", ex);
        }
    }

    static String bearer(HttpsStub.Request request) {
        return request.authorization().substring("Bearer ".length());
    }

    /** {@code POST /orders} as the gateway, for {@code customer}. */
    ApiClient.Response place(String customer, String body) {
        String token = TestTokens.gateway().token(customer, "orders:read orders:write");
        return send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/orders"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
    }

    /** {@code GET path} as the gateway, for {@code customer}. */
    ApiClient.Response get(String customer, String path) {
        String token = TestTokens.gateway().token(customer, "orders:read");
        return send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build());
    }

    private ApiClient.Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = gateway.send(request, HttpResponse.BodyHandlers.ofString());
            return new ApiClient.Response(response);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    long orderRows(String customer) {
        return order.getBean(JdbcClient.class).sql("select count(*) from orders where customer = ?").param(customer)
            .query(Long.class).single();
    }

    Map<String, Object> orderRow(String orderId) {
        return order.getBean(JdbcClient.class).sql("select reservation_id, delivery_id from orders where id = ?")
            .param(UUID.fromString(orderId)).query().singleRow();
    }

    String prometheus() {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    Downstream downstream() {
        return order.getBean(Downstream.class);
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    @Override
    public void close() {
        order.close();
        for (HttpsStub stub : List.of(sts, inventory, logisticsSts, delivery, logisticsGateway)) {
            stub.close();
        }
        gateway.close();
    }
}
