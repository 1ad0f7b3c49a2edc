package dev.bulwark.policy;

import static dev.bulwark.policy.Requests.onCollection;
import static dev.bulwark.policy.Requests.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;

/** A policy directory: loaded at start, reloaded on change, a broken change never replaces the good set. */
class PolicyDirectoryReloadTests {

    @TempDir
    Path dir;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger engineLog = (Logger) LoggerFactory.getLogger(CedarPolicyEngine.class);

    @BeforeEach
    void copyDefaults() throws IOException {
        for (String name : new String[] {"policies.cedar", "schema.cedarschema", "entities.json"}) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(PolicySources.DEFAULTS + name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        logs.start();
        engineLog.addAppender(logs);
    }

    @AfterEach
    void detach() {
        engineLog.detachAppender(logs);
    }

    @Test
    void goodChangeIsAppliedWithoutRestart() throws Exception {
        try (CedarPolicyEngine engine = CedarPolicyEngine.fromDirectory(dir, Duration.ofMillis(100), meters)) {
            PolicyRequest cancelOwnOrder = Requests.onOrder(user("alice", "orders:write"), Actions.CANCEL, "o-1", "alice");
            assertThat(engine.decide(cancelOwnOrder).result()).isEqualTo(PolicyDecision.Result.DENY);

            Files.writeString(dir.resolve("owners.cedar"), """
                    @id("orders-cancel-own")
                    permit (principal, action == Bulwark::Action::"cancel", resource is Bulwark::Order)
                    when { principal.scopes.contains("orders:write") && resource has owner && resource.owner == principal };
                    """);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(engine.decide(cancelOwnOrder).policyIds()).containsExactly("orders-cancel-own"));
            assertThat(engine.status().policies()).isEqualTo(6);
            assertThat(meters.counter("bulwark.policy.reloads", "engine", "cedar", "result", "applied").count()).isEqualTo(1);
        }
    }

    @Test
    void policyWithASyntaxErrorDoesNotReplaceTheGoodSet() throws Exception {
        try (CedarPolicyEngine engine = CedarPolicyEngine.fromDirectory(dir, Duration.ZERO, meters)) {
            String before = engine.status().fingerprint();
            Files.writeString(dir.resolve("policies.cedar"), "permit (principal, action, resource) when { true ");

            assertThatThrownBy(engine::reload).isInstanceOf(PolicyDataException.class).hasMessageContaining("policies.cedar");

            assertThat(engine.status().fingerprint()).isEqualTo(before);
            assertThat(engine.status().lastError()).contains("policies.cedar");
            assertThat(engine.decide(onCollection(user("alice", "orders:read"), Actions.READ)).result())
                    .isEqualTo(PolicyDecision.Result.ALLOW);
            assertThat(engine.decide(onCollection(user("alice"), Actions.READ)).result()).isEqualTo(PolicyDecision.Result.DENY);
            assertThat(meters.counter("bulwark.policy.reloads", "engine", "cedar", "result", "rejected").count()).isEqualTo(1);
            assertThat(logs.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getFormattedMessage()).startsWith("event=policy_reload_rejected").contains("reason=");
            });
        }
    }

    @Test
    void policyThatDoesNotMatchTheSchemaIsRejectedByThePoller() throws Exception {
        try (CedarPolicyEngine engine = CedarPolicyEngine.fromDirectory(dir, Duration.ofMillis(100), meters)) {
            // an allow-everything policy that also reads an attribute the schema does not have
            Files.writeString(dir.resolve("evil.cedar"), """
                    @id("everyone-is-admin")
                    permit (principal, action, resource) when { principal.is_admin };
                    """);

            await().atMost(Duration.ofSeconds(5)).until(() -> engine.status().lastError() != null);
            assertThat(engine.status().lastError()).contains("everyone-is-admin").contains("is_admin");
            assertThat(engine.decide(onCollection(user("mallory"), Actions.CREATE)).result()).isEqualTo(PolicyDecision.Result.DENY);
            assertThat(engine.status().policies()).isEqualTo(5);
            Thread.sleep(300);   // polled again, same broken change: counted once
            assertThat(meters.counter("bulwark.policy.reloads", "engine", "cedar", "result", "rejected").count()).isEqualTo(1);

            Files.delete(dir.resolve("evil.cedar"));
            await().atMost(Duration.ofSeconds(5)).until(() -> engine.status().lastError() == null);
        }
    }

    @Test
    void entityFileThatDoesNotMatchTheSchemaIsRejected() throws Exception {
        try (CedarPolicyEngine engine = CedarPolicyEngine.fromDirectory(dir, Duration.ZERO, meters)) {
            Files.writeString(dir.resolve("entities.json"), """
                    [{"uid":{"type":"Bulwark::User","id":"alice"},"attrs":{"scopes":"all"},"parents":[]}]""");
            assertThatThrownBy(engine::reload).isInstanceOf(PolicyDataException.class).hasMessageContaining("entities.json");
            assertThat(engine.status().entities()).isEqualTo(2);
        }
    }

    @Test
    void brokenSetAtStartFailsConstructionNamingTheProblem() throws IOException {
        Files.writeString(dir.resolve("policies.cedar"), "forbid (principal, action, resource) when { resource.nope };",
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CedarPolicyEngine.fromDirectory(dir, Duration.ZERO, meters))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(dir.toString()).hasMessageContaining("nope");
    }

    @Test
    void missingSchemaFailsConstruction() throws IOException {
        Files.delete(dir.resolve("schema.cedarschema"));
        assertThatThrownBy(() -> CedarPolicyEngine.fromDirectory(dir, Duration.ZERO, meters))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
    }

    @Test
    void duplicatePolicyIdsAreRejected() throws IOException {
        Files.writeString(dir.resolve("copy.cedar"), Files.readString(dir.resolve("policies.cedar")));
        assertThatThrownBy(() -> CedarPolicyEngine.fromDirectory(dir, Duration.ZERO, meters))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("used twice");
    }

    @Test
    void pushedLayerSurvivesAReload() throws Exception {
        try (CedarPolicyEngine engine = CedarPolicyEngine.fromDirectory(dir, Duration.ZERO, meters)) {
            engine.pushEntities("""
                    [{"uid":{"type":"Bulwark::Client","id":"bad-app"},"attrs":{},
                      "parents":[{"type":"Bulwark::ClientGroup","id":"blocked"}]}]""");
            Files.writeString(dir.resolve("extra.cedar"), """
                    @id("noop")
                    forbid (principal, action, resource) when { false };
                    """);
            assertThat(engine.reload()).isTrue();
            assertThat(engine.decide(onCollection(user("a", "bad-app", java.util.Set.of("orders:read"), java.util.Set.of()), Actions.READ))
                    .policyIds()).containsExactly("blocked-clients");
        }
    }
}
