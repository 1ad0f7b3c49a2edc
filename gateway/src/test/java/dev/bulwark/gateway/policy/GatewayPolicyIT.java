package dev.bulwark.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The policy stage through a real gateway (real STS keys, real upstream) with a Cedar policy directory:
 * the book policies, entity data from the directory, forbid over permit, reload without restart, and a
 * broken change that never replaces the good set.
 */
class GatewayPolicyIT {

    static final String DENIED = "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"denied by policy\"}";
    static PolicyGatewayFixture fixture;
    static PolicyGatewayFixture.Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        fixture = new PolicyGatewayFixture();
        Files.writeString(fixture.policyDir.resolve("entities.json"), """
                [
                  { "uid": { "type": "Bulwark::ClientGroup", "id": "blocked" }, "attrs": {}, "parents": [] },
                  { "uid": { "type": "Bulwark::Role", "id": "ops" }, "attrs": {}, "parents": [] },
                  { "uid": { "type": "Bulwark::Client", "id": "evilapp" }, "attrs": {},
                    "parents": [ { "type": "Bulwark::ClientGroup", "id": "blocked" } ] },
                  { "uid": { "type": "Bulwark::Order", "id": "o-1" },
                    "attrs": { "owner": { "__entity": { "type": "Bulwark::User", "id": "alice" } } },
                    "parents": [ { "type": "Bulwark::Collection", "id": "orders" } ] }
                ]
                """, StandardCharsets.UTF_8);
        gateway = fixture.start(Map.of("dir", fixture.policyDir.toString(), "reload-interval", "PT0.2S"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        fixture.close();
    }

    @Test
    void readingTheCollectionWithOrdersReadIsAllowed() {
        int hits = fixture.upstream.hits();
        HttpResponse<String> response = gateway.send("GET", "/api/orders", fixture.token("peter", "orders:read"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(fixture.upstream.hits()).isEqualTo(hits + 1);
    }

    @Test
    void ownOrderIsReadAndAnotherCustomersOrderIsDeniedByPolicy() {
        assertThat(gateway.send("GET", "/api/orders/o-1", fixture.token("alice", "orders:read")).statusCode()).isEqualTo(200);
        int hits = fixture.upstream.hits();

        HttpResponse<String> denied = gateway.send("GET", "/api/orders/o-1", fixture.token("peter", "orders:read"));

        assertDeniedByPolicy(denied);
        assertThat(fixture.upstream.hits()).isEqualTo(hits);
        // an order the gateway has no data for is left to the order service, which checks the owner itself
        assertThat(gateway.send("GET", "/api/orders/o-2/items", fixture.token("peter", "orders:read")).statusCode()).isEqualTo(200);
    }

    @Test
    void percentEncodedOrderIdDoesNotEscapeTheOwnerCheck() {
        int hits = fixture.upstream.hits();
        assertDeniedByPolicy(gateway.send("GET", "/api/orders/o%2D1", fixture.token("peter", "orders:read")));
        assertThat(fixture.upstream.hits()).isEqualTo(hits);
    }

    @Test
    void blockedClientIsDeniedEvenWithEveryScope() {
        int hits = fixture.upstream.hits();
        String token = fixture.token("evilapp", "peter", "orders:read orders:write", Map.of());

        assertDeniedByPolicy(gateway.send("GET", "/api/orders", token));
        assertDeniedByPolicy(gateway.send("POST", "/api/orders", token));

        assertThat(fixture.upstream.hits()).isEqualTo(hits);
        assertThat(gateway.metrics()).contains("bulwark_policy_decisions_total{engine=\"cedar\",result=\"deny\"}");
    }

    @Test
    void denialCarriesADecisionIdThatIsInTheDecisionLogAndNothingElse() {
        HttpResponse<String> denied = gateway.send("GET", "/api/orders/o-1", fixture.token("mallory", "orders:read"));

        assertDeniedByPolicy(denied);
        assertThat(denied.headers().firstValue("Bulwark-Decision-Id").orElseThrow()).matches("[0-9a-f-]{36}");
        assertThat(denied.body()).doesNotContain("o-1", "alice", "orders-read-own", "Cedar");
    }

    @Test
    void goodPolicyChangeIsAppliedWithoutRestart() throws Exception {
        Path extra = fixture.policyDir.resolve("peter-suspended.cedar");
        String token = fixture.token("peter", "orders:read");
        try {
            Files.writeString(extra, """
                    @id("peter-suspended")
                    forbid (principal == Bulwark::User::"peter", action, resource);
                    """);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(gateway.send("GET", "/api/orders", token).statusCode()).isEqualTo(403));
        } finally {
            Files.deleteIfExists(extra);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(gateway.send("GET", "/api/orders", token).statusCode()).isEqualTo(200));
        assertThat(counter(gateway.metrics(), "bulwark_policy_reloads_total", "applied")).isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void brokenPolicyFileDoesNotReplaceTheGoodSet() throws Exception {
        Path broken = fixture.policyDir.resolve("zz-broken.cedar");
        double rejectedBefore = counter(gateway.metrics(), "bulwark_policy_reloads_total", "rejected");
        try {
            // would allow everything, if it parsed and validated
            Files.writeString(broken, "@id(\"open-door\") permit (principal, action, resource) when { principal.admin };");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    counter(gateway.metrics(), "bulwark_policy_reloads_total", "rejected") > rejectedBefore);

            assertDeniedByPolicy(gateway.send("GET", "/api/orders/o-1", fixture.token("peter", "orders:read")));
            assertThat(gateway.send("GET", "/api/orders", fixture.token("peter", "orders:read")).statusCode()).isEqualTo(200);
        } finally {
            Files.deleteIfExists(broken);
        }
    }

    @Test
    void missingScopeIsRefusedByTheScopeStageBeforePolicy() {
        HttpResponse<String> response = gateway.send("POST", "/api/orders", fixture.token("peter", "orders:read"));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("insufficient_scope"));
        assertThat(response.headers().firstValue("Bulwark-Decision-Id")).isEmpty();
    }

    @Test
    void pathsOutsideTheRouteAreNotAskedOfThePolicy() {
        double before = decisions(gateway.metrics());
        HttpResponse<String> response = gateway.send("GET", "/api/ordersX", fixture.token("peter", "orders:read"));
        assertThat(response.statusCode()).isNotEqualTo(200);
        assertThat(response.headers().firstValue("Bulwark-Decision-Id")).isEmpty();
        assertThat(decisions(gateway.metrics())).isEqualTo(before);
    }

    @Test
    void anotherRouteGetsNoShippedPoliciesButItsOwnDirectoryApplies() {
        try (PolicyGatewayFixture.Gateway deliveries = fixture.start(Map.of(),
                "--bulwark.gateway.route.path-prefix=/api/deliveries", "--bulwark.gateway.route.read-scope=deliveries:read")) {
            // the shipped policies know only Collection::"orders": no policy stage rather than deny-all
            assertThat(deliveries.send("GET", "/api/deliveries", fixture.token("peter", "deliveries:read")).statusCode())
                    .isEqualTo(200);
        }
        try (PolicyGatewayFixture.Gateway deliveries = fixture.start(Map.of("dir", fixture.policyDir.toString()),
                "--bulwark.gateway.route.path-prefix=/api/deliveries", "--bulwark.gateway.route.read-scope=deliveries:read")) {
            // a policy directory without a permit for Collection::"deliveries": default deny
            assertDeniedByPolicy(deliveries.send("GET", "/api/deliveries", fixture.token("peter", "deliveries:read")));
        }
    }

    static void assertDeniedByPolicy(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).isEqualTo(DENIED);
        assertThat(response.headers().firstValue("Bulwark-Decision-Id")).isPresent();
    }

    static double counter(String metrics, String name, String result) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*result=\"" + result + "\"[^}]*} ([0-9.E]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static double decisions(String metrics) {
        double sum = 0;
        for (String result : List.of("allow", "deny", "error")) {
            sum += counter(metrics, "bulwark_policy_decisions_total", result);
        }
        return sum;
    }
}
