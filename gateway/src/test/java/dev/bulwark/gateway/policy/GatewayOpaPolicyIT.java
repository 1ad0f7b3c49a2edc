package dev.bulwark.gateway.policy;

import static dev.bulwark.gateway.policy.GatewayPolicyIT.assertDeniedByPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.bulwark.policy.BookPolicyOpaServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway with {@code engine=opa} against an in-process OPA Data API server (OPA's binary is not
 * installable here; {@link BookPolicyOpaServer} implements the book policies behind the same API), and
 * against an OPA that is down or misbehaves: never an allow, always 503.
 */
class GatewayOpaPolicyIT {

    static final String UNAVAILABLE = "{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"policy decision unavailable\"}";
    static PolicyGatewayFixture fixture;
    static BookPolicyOpaServer opa;
    static PolicyGatewayFixture.Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        fixture = new PolicyGatewayFixture();
        opa = BookPolicyOpaServer.start();
        opa.orderOwners().put("o-1", "alice");
        opa.blockedClients().add("evilapp");
        gateway = fixture.start(Map.of("engine", "opa", "opa.url", opa.baseUrl().toString(), "opa.timeout", "PT1S"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        opa.close();
        fixture.close();
    }

    @Test
    void opaAllowsTheBookCasesAndDeniesTheOthers() {
        opa.override(null);
        assertThat(gateway.send("GET", "/api/orders", fixture.token("peter", "orders:read")).statusCode()).isEqualTo(200);
        assertThat(gateway.send("GET", "/api/orders/o-1", fixture.token("alice", "orders:read")).statusCode()).isEqualTo(200);
        int hits = fixture.upstream.hits();

        assertDeniedByPolicy(gateway.send("GET", "/api/orders/o-1", fixture.token("peter", "orders:read")));
        assertDeniedByPolicy(gateway.send("POST", "/api/orders",
                fixture.token("evilapp", "peter", "orders:read orders:write", Map.of())));

        assertThat(fixture.upstream.hits()).isEqualTo(hits);
        assertThat(opa.lastInput().path("context").path("method").asString()).isEqualTo("POST");
        assertThat(opa.lastInput().path("context").path("client_ip").asString()).isEqualTo("127.0.0.1");
        assertThat(opa.lastInput().path("resource").path("id").asString()).isEqualTo("orders");
    }

    @Test
    void opaServerErrorIs503AndTheUpstreamIsNotCalled() {
        opa.override(new BookPolicyOpaServer.Answer(500, "{\"code\":\"internal_error\"}", Duration.ZERO));
        try {
            int hits = fixture.upstream.hits();
            HttpResponse<String> response = gateway.send("GET", "/api/orders", fixture.token("peter", "orders:read"));
            assertUnavailable(response);
            assertThat(fixture.upstream.hits()).isEqualTo(hits);
        } finally {
            opa.override(null);
        }
    }

    @Test
    void slowOpaIs503() {
        opa.override(new BookPolicyOpaServer.Answer(200, "{\"result\":true}", Duration.ofSeconds(3)));
        try {
            assertUnavailable(gateway.send("GET", "/api/orders", fixture.token("peter", "orders:read")));
        } finally {
            opa.override(null);
        }
    }

    @Test
    void unreachableOpaIs503NeverAnAllow() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (PolicyGatewayFixture.Gateway down = fixture.start(Map.of("engine", "opa",
                "opa.url", "http://127.0.0.1:" + closedPort, "opa.timeout", "PT0.5S"))) {
            int hits = fixture.upstream.hits();
            assertUnavailable(down.send("GET", "/api/orders", fixture.token("peter", "orders:read")));
            assertUnavailable(down.send("POST", "/api/orders", fixture.token("peter", "orders:write")));
            assertThat(fixture.upstream.hits()).isEqualTo(hits);
            assertThat(down.metrics()).contains("bulwark_policy_decisions_total{engine=\"opa\",result=\"error\"} 2.0");
        }
    }

    static void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).isEqualTo(UNAVAILABLE);
        assertThat(response.headers().firstValue("Bulwark-Decision-Id")).isPresent();
    }
}
