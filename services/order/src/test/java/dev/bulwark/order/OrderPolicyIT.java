package dev.bulwark.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The order service's embedded policy engine, reading a policy directory as the launcher sets it up: the
 * built-in policies plus an {@code entities.json} that puts {@code ops-1} in {@code Role::"ops"}. Ownership
 * (read) and the ops role (cancel) are the policy's, and a change of the directory applies without a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "management.server.port=0", "management.server.address=127.0.0.1" })
class OrderPolicyIT {

    static final TestTokens GATEWAY = TestTokens.gateway();
    static final Path POLICY_DIR = policyDirectory();

    @LocalServerPort
    int port;

    @Value("${local.management.port}")
    int managementPort;

    ApiClient api;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("bulwark.order.user-context.jwk-set-file", () -> GATEWAY.jwkSetFile().toString());
        registry.add("bulwark.order.policy.dir", POLICY_DIR::toString);
        registry.add("bulwark.order.policy.reload-interval", () -> "PT0.2S");
    }

    @AfterAll
    static void removeDirectory() throws IOException {
        try (var files = Files.list(POLICY_DIR)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(POLICY_DIR);
    }

    @BeforeEach
    void client() throws IOException {
        api = new ApiClient(port);
        Files.writeString(POLICY_DIR.resolve("entities.json"), entities("ops-1"));
        Files.deleteIfExists(POLICY_DIR.resolve("broken.cedar"));
        awaitCancelAllowed("ops-1");
    }

    @Test
    void ownerReadsTheOrderAndAStrangerGetsTheSame404AsForNoOrder() {
        String owner = customer();
        String id = place(owner);

        assertThat(api.get("/orders/" + id, as(owner, "orders:read")).status()).isEqualTo(200);
        ApiClient.Response stranger = api.get("/orders/" + id, as(customer(), "orders:read"));
        ApiClient.Response none = api.get("/orders/" + UUID.randomUUID(), as(customer(), "orders:read"));
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(stranger.json().get("detail")).isEqualTo(none.json().get("detail"));
        assertThat(stranger.header("Bulwark-Decision-Id")).isNull();
    }

    @Test
    void theOwnerMayNotCancelAndTheOrderStaysPlaced() {
        String owner = customer();
        String id = place(owner);

        ApiClient.Response cancel = api.delete("/orders/" + id, as(owner, "orders:read orders:write"));

        assertThat(cancel.status()).isEqualTo(403);
        assertThat(cancel.header("Bulwark-Decision-Id")).isNotBlank();
        assertThat(cancel.json().get("detail").asString()).isEqualTo("Denied by policy.");
        assertThat(status(owner, id)).isEqualTo("PLACED");
    }

    @Test
    void aStrangerCancellingGets404() {
        String id = place(customer());

        assertThat(api.delete("/orders/" + id, as(customer(), "orders:read orders:write")).status()).isEqualTo(404);
        assertThat(api.delete("/orders/" + UUID.randomUUID(), as("ops-1", "orders:write")).status()).isEqualTo(404);
        assertThat(api.delete("/orders/not-a-uuid", as("ops-1", "orders:write")).status()).isEqualTo(404);
    }

    @Test
    void theOpsRoleCancelsAnyOrder() {
        String owner = customer();
        String id = place(owner);

        ApiClient.Response cancel = api.delete("/orders/" + id, as("ops-1", "orders:write"));

        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(cancel.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(status(owner, id)).isEqualTo("CANCELLED");
    }

    @Test
    void cancellingNeedsTheWriteScopeEvenForOps() {
        String id = place(customer());

        ApiClient.Response cancel = api.delete("/orders/" + id, as("ops-1", "orders:read"));

        assertThat(cancel.status()).isEqualTo(403);
        assertThat(cancel.header("WWW-Authenticate")).contains("insufficient_scope");
    }

    @Test
    void aRoleGivenInTheEntityFileAppliesWithoutARestart() throws IOException {
        String owner = customer();
        String id = place(owner);
        assertThat(api.delete("/orders/" + id, as("ops-2", "orders:write")).status()).isEqualTo(404);

        Files.writeString(POLICY_DIR.resolve("entities.json"), entities("ops-1", "ops-2"));

        awaitCancelAllowed("ops-2");
        assertThat(api.delete("/orders/" + id, as("ops-2", "orders:write")).status()).isEqualTo(200);
    }

    @Test
    void aBrokenPolicyFileDoesNotReplaceTheGoodSet() throws IOException {
        String id = place(customer());
        double rejected = rejectedReloads();

        Files.writeString(POLICY_DIR.resolve("broken.cedar"), "permit (principal, action, resource) when { nonsense };");

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rejectedReloads() > rejected);
        // the good set is still in force: ops still cancels, nobody else gained anything
        assertThat(api.delete("/orders/" + id, as(customer(), "orders:write")).status()).isEqualTo(404);
        assertThat(api.delete("/orders/" + id, as("ops-1", "orders:write")).status()).isEqualTo(200);
    }

    private void awaitCancelAllowed(String operator) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            String id = place(customer());
            return api.delete("/orders/" + id, as(operator, "orders:write")).status() == 200;
        });
    }

    private double rejectedReloads() {
        String metrics = new ApiClient(managementPort).get("/actuator/prometheus", Map.of()).body();
        return metrics.lines()
            .filter(l -> l.startsWith("bulwark_policy_reloads_total{") && l.contains("result=\"rejected\""))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum();
    }

    private String place(String customer) {
        ApiClient.Response created = api.post("/orders", AbstractOrderApiIT.ORDER, as(customer, "orders:read orders:write"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("orderId").asString();
    }

    private String status(String owner, String id) {
        return api.get("/orders/" + id, as(owner, "orders:read")).json().get("status").asString();
    }

    private static String customer() {
        return "customer-" + UUID.randomUUID();
    }

    private static Map<String, String> as(String subject, String scope) {
        return Map.of("Authorization", "Bearer " + GATEWAY.token(subject, scope), "Content-Type", "application/json");
    }

    private static String entities(String... operators) {
        StringBuilder json = new StringBuilder("""
                [
                  { "uid": { "type": "Bulwark::ClientGroup", "id": "blocked" }, "attrs": {}, "parents": [] },
                  { "uid": { "type": "Bulwark::Role", "id": "ops" }, "attrs": {}, "parents": [] }""");
        for (String operator : operators) {
            json.append(",\n  { \"uid\": { \"type\": \"Bulwark::User\", \"id\": \"").append(operator)
                .append("\" }, \"attrs\": { \"client\": { \"__entity\": { \"type\": \"Bulwark::Client\", \"id\": \"ops-console\" } },")
                .append(" \"scopes\": [] }, \"parents\": [ { \"type\": \"Bulwark::Role\", \"id\": \"ops\" } ] }");
        }
        return json.append("\n]\n").toString();
    }

    /** The built-in policies and schema copied into a fresh directory, as the launcher does under .bulwark/policy. */
    private static Path policyDirectory() {
        try {
            Path dir = Files.createTempDirectory("order-policy");
            for (String name : new String[] { "policies.cedar", "schema.cedarschema", "entities.json" }) {
                try (InputStream in = OrderPolicyIT.class.getResourceAsStream("/dev/bulwark/policy/default/" + name)) {
                    Files.copy(in, dir.resolve(name));
                }
            }
            return dir;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
