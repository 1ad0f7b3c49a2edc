package dev.bulwark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Chapter 5's edge controls on the running system, started as a user starts it (the ecomm domain):
 * Cedar policy at the gateway and in the order service (ownership, the ops role, a forbid that beats
 * every permit, data pushed over the admin API, policy files reloaded without a restart and a broken one
 * refused), throttling by tier with its headers, the metrics these leave behind, one trace id across
 * gateway, order, inventory and STS, and the security events in the hash-chained audit logs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class EdgeControlsE2EIT {

    static final String ORDER = """
            {"items":[{"itemCode":"IT0001","quantity":1}],"shippingAddress":"201, Galle Road, Colombo 03"}""";

    LocalSystem system;
    Path policy;
    String peter;
    String nuwan;
    String peterOrder;

    @BeforeAll
    void startSystem() {
        system = LocalSystem.start("h2", List.of("--without-logistics",
                // orderprocessingservice is a bronze client: 3 requests in 30 s (every other client: the defaults)
                "--set", "gateway:bulwark.gateway.throttle.client-tiers.orderprocessingservice=bronze",
                "--set", "gateway:bulwark.gateway.throttle.tiers.bronze.limits=3/PT30S"));
        policy = system.home.resolve("policy");
        peter = system.userToken("peter", "peter123", "orders:read orders:write");
        nuwan = system.userToken("nuwan", "nuwan123", "orders:read orders:write");
    }

    @AfterAll
    void stopSystem() {
        if (system != null) {
            WorkloadIdentity.forget(system);
            system.close();
        }
    }

    // --- policy ---

    @Test
    @Order(1)
    void theOwnerReadsTheOrderAndTheOrderServiceHidesItFromAnotherCustomer() {
        HttpResponse<String> created = system.postJson("/api/orders", peter, ORDER);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        peterOrder = (String) LocalSystem.json(created.body()).get("orderId");

        assertThat(system.get("/api/orders/" + peterOrder, peter).statusCode()).isEqualTo(200);
        // the gateway has no data about this order and lets it pass; the order service's engine knows the owner
        HttpResponse<String> stranger = system.get("/api/orders/" + peterOrder, nuwan);
        assertThat(stranger.statusCode()).isEqualTo(404);
        assertThat(stranger.headers().firstValue("Bulwark-Decision-Id")).isEmpty();
    }

    @Test
    @Order(2)
    void ownershipPushedToTheGatewayRefusesAnotherCustomerAtTheEdge() throws Exception {
        double upstreamBefore = orderRequests();

        HttpResponse<String> pushed = pushEntities(entities(orderOwnedBy(peterOrder, "peter")));

        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(204);
        HttpResponse<String> stranger = system.get("/api/orders/" + peterOrder, nuwan);
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(stranger.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(stranger.headers().firstValue("Bulwark-Decision-Id")).isPresent();
        assertThat(stranger.body()).doesNotContain("peter", "Cedar", "Exception");
        assertThat(orderRequests()).as("refused at the edge, never sent upstream").isEqualTo(upstreamBefore);
        assertThat(system.get("/api/orders/" + peterOrder, peter).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void theAdminApiRefusesBadDataAndAnyoneButTheAdmin() throws Exception {
        HttpResponse<String> bad = pushEntities("[{\"uid\":{\"type\":\"Bulwark::Order\",\"id\":\"x\"},\"attrs\":{\"owner\":42},\"parents\":[]}]");
        assertThat(bad.statusCode()).isEqualTo(400);
        // the previous push is still in force
        assertThat(system.get("/api/orders/" + peterOrder, nuwan).statusCode()).isEqualTo(403);

        SSLContext notAdmin = SpiffeTls.clientContext(WorkloadIdentity.svid(system, "order"),
                SpiffeIdPolicy.oneOf("spiffe://ecomm.local/gateway"), HandshakeFailureListener.NONE);
        assertThatThrownBy(() -> adminPut(notAdmin, entities())).isInstanceOf(IOException.class);
        assertThat(system.get("/api/orders/" + peterOrder, nuwan).statusCode()).isEqualTo(403);
    }

    @Test
    @Order(4)
    void aForbidForABlockedClientBeatsEveryPermit() throws Exception {
        pushEntities(entities(orderOwnedBy(peterOrder, "peter"),
                "{\"uid\":{\"type\":\"Bulwark::Client\",\"id\":\"orderprocessingapp\"},\"attrs\":{},"
                        + "\"parents\":[{\"type\":\"Bulwark::ClientGroup\",\"id\":\"blocked\"}]}"));

        assertThat(system.get("/api/orders/" + peterOrder, peter).statusCode()).isEqualTo(403);
        assertThat(system.postJson("/api/orders", peter, ORDER).statusCode()).isEqualTo(403);

        pushEntities(entities(orderOwnedBy(peterOrder, "peter")));
        assertThat(system.get("/api/orders/" + peterOrder, peter).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void onlyTheOpsRoleCancelsAndTheRoleComesFromTheEntityFileWithoutARestart() throws Exception {
        HttpResponse<String> byOwner = delete("/api/orders/" + peterOrder, peter);
        assertThat(byOwner.statusCode()).isEqualTo(403);
        assertThat(delete("/api/orders/" + peterOrder, nuwan).statusCode()).isEqualTo(403);

        String entities = Files.readString(policy.resolve("entities.json"));
        Files.writeString(policy.resolve("entities.json"), entities.replaceFirst("\\]\\s*$", ",\n"
                + "  {\"uid\":{\"type\":\"Bulwark::User\",\"id\":\"nuwan\"},\"attrs\":{\"client\":{\"__entity\":"
                + "{\"type\":\"Bulwark::Client\",\"id\":\"orderprocessingapp\"}},\"scopes\":[]},"
                + "\"parents\":[{\"type\":\"Bulwark::Role\",\"id\":\"ops\"}]}\n]\n"));

        // the gateway and the order service both reload the directory; nuwan now cancels peter's order
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> delete("/api/orders/" + peterOrder, nuwan).statusCode() == 200);
        assertThat(LocalSystem.json(system.get("/api/orders/" + peterOrder, peter).body()).get("status"))
                .isEqualTo("CANCELLED");
        Files.writeString(policy.resolve("entities.json"), entities);
    }

    @Test
    @Order(6)
    void aBrokenPolicyFileIsRefusedAndTheLastGoodSetStays() throws Exception {
        double rejected = Prometheus.sum(system.metrics("gateway"), "bulwark_policy_reloads_total", Map.of("result", "rejected"));

        Files.writeString(policy.resolve("broken.cedar"), "permit (principal, action, resource) when { 1 + };\n");
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> Prometheus.sum(system.metrics("gateway"),
                    "bulwark_policy_reloads_total", Map.of("result", "rejected")) > rejected);
            assertThat(system.get("/api/orders/" + peterOrder, peter).statusCode()).isEqualTo(200);
            assertThat(system.get("/api/orders/" + peterOrder, nuwan).statusCode()).isEqualTo(403);
            assertThat(Files.readString(system.home.resolve("logs/gateway.log"))).contains("event=policy_reload_rejected");
        } finally {
            Files.delete(policy.resolve("broken.cedar"));
        }
    }

    // --- throttling ---

    @Test
    @Order(7)
    void aBronzeClientIsThrottledAtItsLimitWithHeadersAndTheUpstreamNeverSeesIt() {
        String service = system.clientToken("orderprocessingservice", "orderprocessingservicesecret", "orders:read");
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> allowed = system.get("/api/orders", service);
            assertThat(allowed.statusCode()).as("request " + i).isEqualTo(200);
            assertThat(allowed.headers().firstValue("RateLimit-Remaining")).hasValue(String.valueOf(3 - i));
        }
        double upstreamBefore = orderRequests();

        HttpResponse<String> throttled = system.get("/api/orders", service);

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                s -> assertThat(s).isBetween(1L, 30L));
        assertThat(throttled.headers().firstValue("RateLimit-Limit")).hasValue("3");
        assertThat(throttled.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(throttled.headers().firstValue("RateLimit-Reset")).isPresent();
        assertThat(orderRequests()).as("a throttled request never reaches the order service").isEqualTo(upstreamBefore);
        // another client is not affected
        assertThat(system.get("/api/orders", peter).statusCode()).isEqualTo(200);
    }

    // --- observability ---

    @Test
    @Order(8)
    void oneTraceIdSpansGatewayOrderInventoryAndSts() {
        String traceId = HexFormat.of().formatHex(random(16));
        String traceparent = "00-" + traceId + "-" + HexFormat.of().formatHex(random(8)) + "-01";

        // nuwan's first order: the order service has no exchanged token cached for nuwan, so it calls the STS
        HttpResponse<String> created = system.postJson("/api/orders", nuwan, ORDER, "traceparent", traceparent);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        for (String component : List.of("gateway", "order", "inventory", "sts")) {
            await(component + " logged a span of trace " + traceId).atMost(Duration.ofSeconds(15))
                    .until(() -> Files.readString(system.home.resolve("logs/" + component + ".log")).contains("trace_id=" + traceId));
        }
    }

    @Test
    @Order(9)
    void theMetricsOfTheSessionAppearWithTheirLabels() {
        assertThat(system.get("/api/orders", "not-a-token").statusCode()).isEqualTo(401);
        String readOnly = system.clientToken("orderprocessingapp", "orderprocessingappsecret", "orders:read");
        assertThat(system.postJson("/api/orders", readOnly, ORDER).statusCode()).isEqualTo(403);

        URI gateway = system.metrics("gateway");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = Prometheus.scrape(gateway);
            assertThat(scrape).containsPattern("bulwark_gateway_auth_failures_total\\{[^}]*reason=\"[a-z_]+\"");
            assertThat(scrape).containsPattern("bulwark_gateway_scope_denials_total\\{[^}]*route=\"orders\"[^}]*\\} [1-9]");
            assertThat(scrape).containsPattern("bulwark_policy_decisions_total\\{[^}]*engine=\"cedar\"[^}]*result=\"deny\"[^}]*\\} [1-9]");
            assertThat(scrape).containsPattern("bulwark_policy_decisions_total\\{[^}]*engine=\"cedar\"[^}]*result=\"allow\"[^}]*\\} [1-9]");
            assertThat(scrape).containsPattern("bulwark_throttle_decisions_total\\{[^}]*component=\"gateway\"[^}]*result=\"throttled\"[^}]*\\} [1-9]");
            assertThat(scrape).containsPattern("bulwark_jwks_refreshes_total\\{");
            assertThat(scrape).contains("bulwark_svid_expiry_seconds");
            assertThat(scrape).containsPattern("spring_cloud_gateway_requests_seconds_count\\{[^}]*routeId=\"orders\"");
        });
        String sts = Prometheus.scrape(system.metrics("sts"));
        assertThat(sts).containsPattern("bulwark_sts_tokens_issued_total\\{[^}]*grant_type=\"password\"[^}]*\\} [1-9]");
        assertThat(sts).containsPattern("bulwark_sts_tokens_issued_total\\{[^}]*grant_type=\"client_credentials\"[^}]*\\} [1-9]");
        assertThat(sts).containsPattern("bulwark_sts_token_exchanges_total\\{[^}]*result=\"issued\"");
        String order = Prometheus.scrape(system.metrics("order"));
        assertThat(order).containsPattern("bulwark_policy_decisions_total\\{[^}]*engine=\"cedar\"");
        assertThat(order).containsPattern("bulwark_token_exchange_cache_total\\{[^}]*result=\"(hit|miss)\"");
    }

    @Test
    @Order(10)
    void theSecurityEventsAreInTheAuditChainsAndTheChainsVerify() throws IOException {
        Path audit = system.home.resolve("audit");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(Files.readString(audit.resolve("bulwark-gateway.log")))
                    .contains("event=throttled", "event=policy_decision", "event=auth_failure");
            assertThat(Files.readString(audit.resolve("bulwark-sts.log"))).contains("event=token_issued");
            assertThat(Files.readString(audit.resolve("identity.log"))).contains("event=svid_issued");
        });
        for (Path file : List.of(audit.resolve("bulwark-gateway.log"), audit.resolve("bulwark-sts.log"))) {
            assertThat(Files.readString(file)).doesNotContain(peter, nuwan);
        }

        CommandResult verify = system.bulwarkScript("audit", "verify");

        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("bulwark-gateway.log: ok", "bulwark-sts.log: ok", "identity.log: ok");
    }

    // --- helpers ---

    private double orderRequests() {
        return Prometheus.sum(system.metrics("order"), "http_server_requests_seconds_count", Map.of());
    }

    private HttpResponse<String> delete(String path, String token) {
        return system.send(HttpRequest.newBuilder(system.gateway(path)).DELETE()
                .header("Authorization", "Bearer " + token).build());
    }

    private HttpResponse<String> pushEntities(String json) throws Exception {
        SSLContext admin = SpiffeTls.clientContext(WorkloadIdentity.svid(system, "admin"),
                SpiffeIdPolicy.oneOf("spiffe://ecomm.local/gateway"), HandshakeFailureListener.NONE);
        return adminPut(admin, json);
    }

    private HttpResponse<String> adminPut(SSLContext tls, String json) throws IOException, InterruptedException {
        String url = (String) system.component("gateway").get("policy_admin");
        try (HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create(url + "/entities"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String orderOwnedBy(String orderId, String owner) {
        return "{\"uid\":{\"type\":\"Bulwark::Order\",\"id\":\"" + orderId + "\"},\"attrs\":{\"owner\":{\"__entity\":"
                + "{\"type\":\"Bulwark::User\",\"id\":\"" + owner + "\"}}},"
                + "\"parents\":[{\"type\":\"Bulwark::Collection\",\"id\":\"orders\"}]}";
    }

    private static String entities(String... entities) {
        return "[" + String.join(",", entities) + "]";
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return value;
    }
}
