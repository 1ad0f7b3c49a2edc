package dev.bulwark.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.securitykit.boot.testing.HttpsCall;
import dev.bulwark.securitykit.boot.testing.TestSts;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import dev.bulwark.securitykit.jwt.WorkloadJwtSigner;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.RevocationChecker;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.SvidSupplier;
import dev.bulwark.securitykit.tls.TestCa;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The inventory service as the launcher starts it: Tomcat with the service's SVID (a test CA in place of the
 * Workload API), mTLS needed and only {@code spiffe://ecomm.local/order} let in, tokens verified against a test
 * STS's JWK set. Every call is a real TLS request made with the order service's SVID. Subclasses choose the
 * database.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractInventoryApiIT {

    static final String ORDER_ID = "spiffe://ecomm.local/order";
    static final Map<String, Object> ORDER_ACTS = Map.of("sub", ORDER_ID);
    static final String RW = "inventory:read inventory:write";

    static final TestCa CA = TestCa.create("ecomm root");
    static final TestSts STS = new TestSts("https://sts.ecomm.test");
    static final TestSts ROGUE = new TestSts("https://rogue.test");
    static final MutableSvidSupplier ORDER_SVIDS = MutableSvidSupplier.of(CA.issue("order"), CA.bundle());

    static ConfigurableApplicationContext inventory;
    static int port;
    static int managementPort;
    static SSLContext order;

    static void start(List<String> database) {
        RevocationChecker good = path -> new RevocationChecker.Verdict(RevocationChecker.Status.GOOD, "");
        inventory = new SpringApplicationBuilder(InventoryApplication.class)
            .initializers(context -> {
                ((GenericApplicationContext) context).registerBean(SvidSupplier.class, () -> CA.supplier("inventory"));
                ((GenericApplicationContext) context).registerBean(RevocationChecker.class, () -> good);
            })
            .run(Stream.concat(Stream.of("--server.port=0", "--server.address=127.0.0.1", "--management.server.port=0",
                    "--management.server.address=127.0.0.1", "--bulwark.workload.socket=/nonexistent/agent.sock",
                    "--bulwark.east-west.trusted-issuers[0].issuer=" + STS.issuer(),
                    "--bulwark.east-west.trusted-issuers[0].jwk-set-file=" + STS.jwkSetFile()), database.stream())
                .toArray(String[]::new));
        port = Integer.parseInt(inventory.getEnvironment().getRequiredProperty("local.server.port"));
        managementPort = Integer.parseInt(inventory.getEnvironment().getRequiredProperty("local.management.port"));
        order = client(ORDER_SVIDS);
    }

    @AfterAll
    static void stop() {
        if (inventory != null) {
            inventory.close();
        }
    }

    static SSLContext client(SvidSupplier svids) {
        return SpiffeTls.clientContext(svids, SpiffeIdPolicy.oneOf("spiffe://ecomm.local/inventory"),
                HandshakeFailureListener.NONE);
    }

    static String exchanged(String subject, String scope) {
        return STS.exchanged(subject, "inventory-service", scope, "order-service", ORDER_ACTS);
    }

    static HttpsCall.Response call(String method, String path, @Nullable String token, @Nullable String body) {
        return HttpsCall.send(order, port, method, path, token, body);
    }

    static int stock(String code) {
        HttpsCall.Response level = call("GET", "/inventory/" + code, exchanged("auditor", "inventory:read"), null);
        assertThat(level.status()).as(level.body()).isEqualTo(200);
        assertThat(level.json().get("code").asString()).isEqualTo(code);
        return level.json().get("qty").asInt();
    }

    static String awaitLine(CapturedOutput output, String... parts) throws InterruptedException {
        // the audit filter logs after the response is committed: give it a moment
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline) {
            for (String line : output.getOut().split("\\R")) {
                boolean all = true;
                for (String part : parts) {
                    all &= line.contains(part);
                }
                if (all) {
                    return line;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no log line with " + String.join(", ", parts) + " in:\n" + output.getOut());
    }

    @Test
    void orderServiceWithAnExchangedTokenReservesAndReleaseRestoresStock(CapturedOutput output) throws Exception {
        String peter = "peter-" + UUID.randomUUID();
        int before2 = stock("IT0002");
        int before3 = stock("IT0003");

        HttpsCall.Response reserved = call("PUT", "/inventory", exchanged(peter, RW),
                "[{\"code\":\"IT0002\",\"qty\":3},{\"code\":\"IT0003\",\"qty\":1}]");

        assertThat(reserved.status()).as(reserved.body()).isEqualTo(200);
        JsonNode body = reserved.json();
        String id = body.get("reservationId").asString();
        assertThat(UUID.fromString(id)).hasToString(id);
        assertThat(body.get("items").toString()).isEqualTo("[{\"code\":\"IT0002\",\"qty\":3},{\"code\":\"IT0003\",\"qty\":1}]");
        assertThat(stock("IT0002")).isEqualTo(before2 - 3);
        assertThat(stock("IT0003")).isEqualTo(before3 - 1);

        String audit = awaitLine(output, "bulwark.audit", "event=access", "method=PUT", "path=/inventory ",
                "sub=" + peter);
        assertThat(audit).contains("status=200", "client_id=order-service", "pattern=exchanged", ORDER_ID);
        assertThat(output.getOut()).doesNotContain(exchanged(peter, RW).substring(0, 20));

        HttpsCall.Response released = call("DELETE", "/inventory/reservations/" + id, exchanged(peter, RW), null);
        assertThat(released.status()).as(released.body()).isEqualTo(204);
        assertThat(stock("IT0002")).isEqualTo(before2);
        assertThat(stock("IT0003")).isEqualTo(before3);

        HttpsCall.Response again = call("DELETE", "/inventory/reservations/" + id, exchanged(peter, RW), null);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("detail").asString()).isEqualTo("No such reservation.");
        assertThat(stock("IT0002")).isEqualTo(before2);
    }

    @Test
    void reservationOfAnotherSubjectCannotBeReleased() {
        String id = call("PUT", "/inventory", exchanged("peter", RW), "[{\"code\":\"IT0004\",\"qty\":2}]").json()
            .get("reservationId")
            .asString();
        int before = stock("IT0004");

        HttpsCall.Response stranger = call("DELETE", "/inventory/reservations/" + id, exchanged("nuwan", RW), null);
        HttpsCall.Response malformed = call("DELETE", "/inventory/reservations/not-a-uuid", exchanged("peter", RW), null);

        assertThat(stranger.status()).isEqualTo(404);
        assertThat(malformed.status()).isEqualTo(404);
        assertThat(stock("IT0004")).isEqualTo(before);
        assertThat(call("DELETE", "/inventory/reservations/" + id, exchanged("peter", RW), null).status()).isEqualTo(204);
    }

    @Test
    void shortStockConflictsAndReservesNothing() {
        int before1 = stock("IT0001");
        int before99 = stock("IT0099");

        HttpsCall.Response short99 = call("PUT", "/inventory", exchanged("peter", RW),
                "[{\"code\":\"IT0001\",\"qty\":5},{\"code\":\"IT0099\",\"qty\":2}]");
        HttpsCall.Response unknown = call("PUT", "/inventory", exchanged("peter", RW),
                "[{\"code\":\"IT0001\",\"qty\":5},{\"code\":\"ZZ9999\",\"qty\":1}]");

        assertThat(short99.status()).as(short99.body()).isEqualTo(409);
        assertThat(short99.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(short99.json().get("title").asString()).isEqualTo("Insufficient stock");
        assertThat(short99.json().get("code").asString()).isEqualTo("IT0099");
        assertThat(unknown.status()).isEqualTo(409);
        assertThat(unknown.json().get("code").asString()).isEqualTo("ZZ9999");
        assertThat(stock("IT0001")).isEqualTo(before1);
        assertThat(stock("IT0099")).isEqualTo(before99);
    }

    @Test
    void badBodiesAreRefusedAndChangeNothing() {
        int before = stock("IT0005");
        String many = IntStream.range(0, 101)
            .mapToObj(i -> "{\"code\":\"IT" + (1000 + i) + "\",\"qty\":1}")
            .collect(Collectors.joining(",", "[", "]"));
        Map<String, String> fieldOf = new java.util.LinkedHashMap<>();
        fieldOf.put("[]", "");
        fieldOf.put(many, "");
        fieldOf.put("[{\"code\":\"it0005\",\"qty\":1}]", "[0].code");
        fieldOf.put("[{\"code\":\"IT0005\",\"qty\":0}]", "[0].qty");
        fieldOf.put("[{\"code\":\"IT0005\",\"qty\":10001}]", "[0].qty");
        fieldOf.put("[{\"code\":\"IT0005\"}]", "[0].qty");
        fieldOf.put("[{\"code\":\"IT0005\",\"qty\":1},{\"code\":\"IT0005\",\"qty\":1}]", "[1].code");
        fieldOf.put("[{\"code\":\"IT0005\",\"qty\":1,\"price\":0}]", "[0].price");
        fieldOf.put("[{\"code\":\"IT0005\",\"qty\":\"three\"}]", "[0].qty");

        fieldOf.forEach((body, field) -> {
            HttpsCall.Response response = call("PUT", "/inventory", exchanged("peter", RW), body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(response.json().get("errors").get(0).get("field").asString()).as(body).isEqualTo(field);
        });
        for (String body : new String[] { "{}", "not json", "[{\"code\":\"IT0005\",\"qty\":1}] trailing", "" }) {
            HttpsCall.Response response = call("PUT", "/inventory", exchanged("peter", RW), body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.body()).doesNotContain("Exception", "tools.jackson");
        }
        assertThat(stock("IT0005")).isEqualTo(before);
    }

    @Test
    void tokenForAnotherAudienceIsRefused() {
        int before = stock("IT0001");
        String forOrders = STS.exchanged("peter", "order-service", RW, "order-service", ORDER_ACTS);

        HttpsCall.Response response = call("PUT", "/inventory", forOrders, "[{\"code\":\"IT0001\",\"qty\":1}]");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(stock("IT0001")).isEqualTo(before);
    }

    @Test
    void tokenOfAnUntrustedIssuerIsRefused() {
        int before = stock("IT0001");
        String rogue = ROGUE.exchanged("peter", "inventory-service", RW, "order-service", ORDER_ACTS);
        // the trusted issuer's name, another key
        String forged = ROGUE.token(c -> c.issuer(STS.issuer()).subject("peter").audience("inventory-service")
            .claim("scope", RW));

        for (String token : new String[] { rogue, forged, "not-a-jwt" }) {
            HttpsCall.Response response = call("PUT", "/inventory", token, "[{\"code\":\"IT0001\",\"qty\":1}]");
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        }
        HttpsCall.Response none = call("PUT", "/inventory", null, "[{\"code\":\"IT0001\",\"qty\":1}]");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(stock("IT0001")).isEqualTo(before);
    }

    @Test
    void tokenWithoutTheNeededScopeIsForbidden() {
        int before = stock("IT0001");

        HttpsCall.Response put = call("PUT", "/inventory", exchanged("peter", "inventory:read"),
                "[{\"code\":\"IT0001\",\"qty\":1}]");
        HttpsCall.Response get = call("GET", "/inventory/IT0001", exchanged("peter", "inventory:write"), null);

        assertThat(put.status()).isEqualTo(403);
        assertThat(put.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"", "scope=\"inventory:write\"");
        assertThat(get.status()).isEqualTo(403);
        assertThat(get.header("WWW-Authenticate")).contains("scope=\"inventory:read\"");
        assertThat(stock("IT0001")).isEqualTo(before);
    }

    @Test
    void selfIssuedAndNestedTokensOfTheOrderServiceAreAccepted(CapturedOutput output) throws Exception {
        WorkloadJwtSigner signer = new WorkloadJwtSigner(ORDER_SVIDS, Clock.systemUTC(), Duration.ofSeconds(30));

        HttpsCall.Response selfIssued = call("GET", "/inventory/IT0001",
                signer.selfIssued("kamal", "inventory-service", Set.of("inventory:read")), null);
        HttpsCall.Response nested = call("GET", "/inventory/IT0001",
                signer.nested(exchanged("sunil", "inventory:read")), null);
        HttpsCall.Response wrongAudience = call("GET", "/inventory/IT0001",
                signer.selfIssued("kamal", "order-service", Set.of("inventory:read")), null);

        assertThat(selfIssued.status()).as(selfIssued.body()).isEqualTo(200);
        assertThat(nested.status()).as(nested.body()).isEqualTo(200);
        assertThat(wrongAudience.status()).isEqualTo(401);
        assertThat(awaitLine(output, "bulwark.audit", "sub=kamal")).contains("pattern=self_issued", ORDER_ID);
        assertThat(awaitLine(output, "bulwark.audit", "sub=sunil")).contains("pattern=nested", ORDER_ID);
    }

    @Test
    void unknownItemIsNotFound() {
        for (String code : new String[] { "ZZ9999", "it0001", "reservations" }) {
            HttpsCall.Response response = call("GET", "/inventory/" + code, exchanged("peter", "inventory:read"), null);
            assertThat(response.status()).as(code).isEqualTo(404);
            assertThat(response.json().get("detail").asString()).isEqualTo("No such item.");
        }
    }

    @Test
    void workloadOtherThanTheOrderServiceCannotConnect() {
        SSLContext gateway = client(MutableSvidSupplier.of(CA.issue("gateway"), CA.bundle()));

        assertThatThrownBy(() -> HttpsCall.send(gateway, port, "GET", "/inventory/IT0001",
                exchanged("peter", "inventory:read"), null)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void healthIsServedOnTheManagementPortOnly() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> health = http.send(HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
        HttpsCall.Response onApi = call("GET", "/actuator/health", exchanged("peter", RW), null);
        assertThat(onApi.status()).isIn(403, 404);
    }

    @Test
    void lastUnitIsReservedOnlyOnceUnderConcurrentReservations() throws Exception {
        assertThat(stock("IT0099")).isEqualTo(1);
        List<Callable<HttpsCall.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(() -> call("PUT", "/inventory", exchanged("peter", RW), "[{\"code\":\"IT0099\",\"qty\":1}]"));
        }
        List<HttpsCall.Response> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(calls.size())) {
            for (Future<HttpsCall.Response> response : pool.invokeAll(calls)) {
                responses.add(response.get());
            }
        }

        assertThat(responses).extracting(HttpsCall.Response::status).containsOnly(200, 409).containsOnlyOnce(200);
        assertThat(stock("IT0099")).isZero();
        String id = responses.stream().filter(r -> r.status() == 200).findFirst().orElseThrow().json()
            .get("reservationId").asString();
        assertThat(call("DELETE", "/inventory/reservations/" + id, exchanged("peter", RW), null).status()).isEqualTo(204);
        assertThat(stock("IT0099")).isEqualTo(1);
    }

    @Test
    void expiredTokenAndSharedUserContextTokenAreRefused() {
        String expired = STS.token(c -> c.subject("peter").audience("inventory-service").claim("scope", RW)
            .issueTime(java.util.Date.from(java.time.Instant.now().minusSeconds(600)))
            .notBeforeTime(java.util.Date.from(java.time.Instant.now().minusSeconds(600)))
            .expirationTime(java.util.Date.from(java.time.Instant.now().minusSeconds(300))));
        // the gateway's user-context JWT forwarded as is (shared pattern): off by default
        String shared = new TestSts("bulwark-gateway").token(c -> c.subject("peter").audience("order-service")
            .claim("scope", "orders:write inventory:write"));

        for (String token : new String[] { expired, shared }) {
            HttpsCall.Response response = call("PUT", "/inventory", token, "[{\"code\":\"IT0001\",\"qty\":1}]");
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        }
    }

    @Test
    void nestedTokenWhoseInnerTokenWasIssuedToAnotherClientIsRefused() {
        WorkloadJwtSigner signer = new WorkloadJwtSigner(ORDER_SVIDS, Clock.systemUTC(), Duration.ofSeconds(30));
        // a token the STS issued to the gateway, wrapped by the order service: not the order service's to present
        String gatewaysToken = STS.exchanged("peter", "inventory-service", "inventory:read", "gateway",
                Map.of("sub", "spiffe://ecomm.local/gateway"));

        HttpsCall.Response response = call("GET", "/inventory/IT0001", signer.nested(gatewaysToken), null);

        assertThat(response.status()).isEqualTo(401);
    }
}
