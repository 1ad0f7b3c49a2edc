package dev.bulwark.policy;

import static dev.bulwark.policy.Requests.onCollection;
import static dev.bulwark.policy.Requests.onOrder;
import static dev.bulwark.policy.Requests.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OPA adapter against an in-process Data API server ({@link BookPolicyOpaServer}: OPA's binary is
 * not installable here). Contract: the same book decisions as the Cedar engine, and every failure an ERROR.
 */
class OpaPolicyEngineTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BookPolicyOpaServer opa = BookPolicyOpaServer.start();
    private final OpaPolicyEngine engine = new OpaPolicyEngine(opa.baseUrl(), "bulwark/allow", Duration.ofSeconds(1), null, meters);
    private final CedarPolicyEngine cedar = CedarPolicyEngine.fromClasspathDefaults(meters);

    @AfterEach
    void close() {
        engine.close();
        cedar.close();
        opa.close();
    }

    static Stream<Arguments> bookCases() {
        return Stream.of(
                Arguments.of("read collection with orders:read", onCollection(user("alice", "orders:read"), Actions.READ), true),
                Arguments.of("read collection without scope", onCollection(user("alice"), Actions.READ), false),
                Arguments.of("create with orders:write", onCollection(user("alice", "orders:write"), Actions.CREATE), true),
                Arguments.of("create with orders:read", onCollection(user("alice", "orders:read"), Actions.CREATE), false),
                Arguments.of("read own order", onOrder(user("alice", "orders:read"), Actions.READ, "o-1", "alice"), true),
                Arguments.of("read another's order", onOrder(user("mallory", "orders:read"), Actions.READ, "o-1", "alice"), false),
                Arguments.of("cancel as ops", onOrder(user("olga", "web", Set.of(), Set.of("ops")), Actions.CANCEL, "o-1", "alice"), true),
                Arguments.of("cancel as owner", onOrder(user("alice", "orders:write"), Actions.CANCEL, "o-1", "alice"), false),
                Arguments.of("update anything", onOrder(user("alice", "orders:write"), Actions.UPDATE, "o-1", "alice"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bookCases")
    void opaAndCedarDecideTheBookPoliciesAlike(String name, PolicyRequest request, boolean allowed) {
        PolicyDecision viaOpa = engine.decide(request);
        assertThat(viaOpa.result()).isEqualTo(allowed ? PolicyDecision.Result.ALLOW : PolicyDecision.Result.DENY);
        assertThat(cedar.decide(request).result()).isEqualTo(viaOpa.result());
    }

    @Test
    void inputDocumentHasTheContractShape() {
        engine.decide(onOrder(user("alice", "web", Set.of("orders:read", "a"), Set.of("ops")), Actions.READ, "o-1", "bob"));
        var input = opa.lastInput();
        assertThat(input.path("principal").path("sub").asString()).isEqualTo("alice");
        assertThat(input.path("principal").path("client_id").asString()).isEqualTo("web");
        assertThat(input.path("principal").path("scopes").toString()).isEqualTo("[\"a\",\"orders:read\"]");
        assertThat(input.path("principal").path("roles").toString()).isEqualTo("[\"ops\"]");
        assertThat(input.path("action").asString()).isEqualTo("read");
        assertThat(input.path("resource").toString()).isEqualTo("{\"type\":\"Order\",\"id\":\"o-1\",\"owner\":\"bob\"}");
        assertThat(input.path("context").path("path").asString()).isEqualTo("/api/orders/o-1");
    }

    @Test
    void blockedClientIsDenied() {
        opa.blockedClients().add("bad-app");
        assertThat(engine.decide(onCollection(user("alice", "bad-app", Set.of("orders:read"), Set.of()), Actions.READ)).result())
                .isEqualTo(PolicyDecision.Result.DENY);
    }

    @Test
    void packageDocumentWithAllowFieldIsUnderstood() {
        try (OpaPolicyEngine packageEngine = new OpaPolicyEngine(opa.baseUrl(), "bulwark", Duration.ofSeconds(1), null, meters)) {
            assertThat(packageEngine.decide(onCollection(user("alice", "orders:read"), Actions.READ)).result())
                    .isEqualTo(PolicyDecision.Result.ALLOW);
            assertThat(packageEngine.decide(onCollection(user("alice"), Actions.READ)).result()).isEqualTo(PolicyDecision.Result.DENY);
        }
    }

    @Test
    void undefinedDocumentIsADenial() {
        try (OpaPolicyEngine wrongPath = new OpaPolicyEngine(opa.baseUrl(), "nothing/here", Duration.ofSeconds(1), null, meters)) {
            PolicyDecision decision = wrongPath.decide(onCollection(user("alice", "orders:read"), Actions.READ));
            assertThat(decision.result()).isEqualTo(PolicyDecision.Result.DENY);
            assertThat(decision.errors()).containsExactly("opa: undefined document");
        }
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("server error", new BookPolicyOpaServer.Answer(500, "{\"code\":\"internal_error\"}", Duration.ZERO), "status 500"),
                Arguments.of("bad request", new BookPolicyOpaServer.Answer(400, "{\"code\":\"invalid_parameter\"}", Duration.ZERO), "status 400"),
                Arguments.of("not JSON", new BookPolicyOpaServer.Answer(200, "<html>allow</html>", Duration.ZERO), "not JSON"),
                Arguments.of("JSON array", new BookPolicyOpaServer.Answer(200, "[true]", Duration.ZERO), "not a JSON object"),
                Arguments.of("too slow", new BookPolicyOpaServer.Answer(200, "{\"result\":true}", Duration.ofSeconds(3)), "no answer within"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void misbehavingServerIsAnErrorNeverAnAllow(String name, BookPolicyOpaServer.Answer answer, String reason) {
        opa.override(answer);
        PolicyDecision decision = engine.decide(onCollection(user("alice", "orders:read"), Actions.READ));
        assertThat(decision.result()).isEqualTo(PolicyDecision.Result.ERROR);
        assertThat(decision.errors()).singleElement().asString().contains(reason);
        assertThat(meters.counter("bulwark.policy.decisions", "engine", "opa", "result", "error").count()).isEqualTo(1);
    }

    @Test
    void unreachableServerIsAnError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (OpaPolicyEngine unreachable = new OpaPolicyEngine(URI.create("http://127.0.0.1:" + closedPort), "bulwark/allow",
                Duration.ofMillis(500), null, meters)) {
            PolicyDecision decision = unreachable.decide(onCollection(user("alice", "orders:read"), Actions.READ));
            assertThat(decision.result()).isEqualTo(PolicyDecision.Result.ERROR);
            assertThat(decision.errors()).singleElement().asString().contains("unreachable");
        }
    }

    @Test
    void badConfigurationIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new OpaPolicyEngine(URI.create("ftp://opa"), "bulwark/allow", Duration.ofSeconds(1), null, meters))
                .hasMessageContaining("ftp://opa").hasMessageContaining("expected");
        assertThatThrownBy(() -> new OpaPolicyEngine(opa.baseUrl(), "../admin", Duration.ofSeconds(1), null, meters))
                .hasMessageContaining("../admin");
        assertThatThrownBy(() -> new OpaPolicyEngine(opa.baseUrl(), "bulwark/allow", Duration.ZERO, null, meters))
                .hasMessageContaining("PT0S");
        assertThat(engine.endpoint()).isEqualTo(URI.create(opa.baseUrl() + "/v1/data/bulwark/allow"));
        assertThat(List.of(engine.name(), cedar.name())).containsExactly("opa", "cedar");
    }
}
