package dev.bulwark.policy;

import static dev.bulwark.policy.Requests.onCollection;
import static dev.bulwark.policy.Requests.onOrder;
import static dev.bulwark.policy.Requests.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The book policies in the classpath defaults, and the pushed entity layer. */
class CedarPolicyEngineTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CedarPolicyEngine engine = CedarPolicyEngine.fromClasspathDefaults(meters);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void readCollectionWhenScopeOrdersReadThenAllowedByOrdersReadCollection() {
        PolicyDecision decision = engine.decide(onCollection(user("alice", "orders:read"), Actions.READ));
        assertThat(decision.result()).isEqualTo(PolicyDecision.Result.ALLOW);
        assertThat(decision.policyIds()).containsExactly("orders-read-collection");
        assertThat(decision.decisionId()).hasSize(36);
    }

    @Test
    void readCollectionWithoutScopeIsDenied() {
        PolicyDecision decision = engine.decide(onCollection(user("alice", "orders:write"), Actions.READ));
        assertThat(decision.result()).isEqualTo(PolicyDecision.Result.DENY);
        assertThat(decision.policyIds()).isEmpty();
    }

    @Test
    void createWhenScopeOrdersWriteThenAllowed() {
        PolicyDecision decision = engine.decide(onCollection(user("alice", "orders:write"), Actions.CREATE));
        assertThat(decision.result()).isEqualTo(PolicyDecision.Result.ALLOW);
        assertThat(decision.policyIds()).containsExactly("orders-create");
    }

    @Test
    void createWithReadScopeOnlyIsDenied() {
        assertThat(engine.decide(onCollection(user("alice", "orders:read"), Actions.CREATE)).result())
                .isEqualTo(PolicyDecision.Result.DENY);
    }

    @Test
    void readOwnOrderIsAllowed() {
        PolicyDecision decision = engine.decide(onOrder(user("alice", "orders:read"), Actions.READ, "o-1", "alice"));
        assertThat(decision.result()).isEqualTo(PolicyDecision.Result.ALLOW);
        assertThat(decision.policyIds()).containsExactly("orders-read-own");
    }

    @Test
    void orderOfAnotherCustomerIsDenied() {
        assertThat(engine.decide(onOrder(user("mallory", "orders:read"), Actions.READ, "o-1", "alice")).result())
                .isEqualTo(PolicyDecision.Result.DENY);
    }

    @Test
    void readOrderWhoseOwnerIsUnknownIsLeftToTheOrderService() {
        assertThat(engine.decide(onOrder(user("bob", "orders:read"), Actions.READ, "o-9", null)).result())
                .isEqualTo(PolicyDecision.Result.ALLOW);
        assertThat(engine.decide(onOrder(user("bob"), Actions.READ, "o-9", null)).result())
                .isEqualTo(PolicyDecision.Result.DENY);
    }

    @Test
    void cancelWhenRoleOpsThenAllowedByOrdersCancelOps() {
        PolicyDecision decision = engine.decide(onOrder(user("olga", "shop-web", Set.of(), Set.of("ops")), Actions.CANCEL, "o-1", "alice"));
        assertThat(decision.result()).isEqualTo(PolicyDecision.Result.ALLOW);
        assertThat(decision.policyIds()).containsExactly("orders-cancel-ops");
    }

    @Test
    void ownerWithoutRoleOpsCannotCancel() {
        assertThat(engine.decide(onOrder(user("alice", "orders:read", "orders:write"), Actions.CANCEL, "o-1", "alice")).result())
                .isEqualTo(PolicyDecision.Result.DENY);
    }

    @Test
    void roleFromPushedEntityDataCounts() throws PolicyDataException {
        engine.pushEntities("""
                [{"uid":{"type":"Bulwark::User","id":"olga"},
                  "attrs":{"client":{"__entity":{"type":"Bulwark::Client","id":"shop-web"}},"scopes":[]},
                  "parents":[{"type":"Bulwark::Role","id":"ops"}]},
                 {"uid":{"type":"Bulwark::Role","id":"ops"},"attrs":{},"parents":[]}]""");
        assertThat(engine.decide(onOrder(user("olga"), Actions.CANCEL, "o-1", "alice")).result())
                .isEqualTo(PolicyDecision.Result.ALLOW);
    }

    @Test
    void blockedClientIsDeniedEvenWhereAPermitMatches() throws PolicyDataException {
        PolicyRequest request = onCollection(user("alice", "bad-app", Set.of("orders:read"), Set.of()), Actions.READ);
        assertThat(engine.decide(request).result()).isEqualTo(PolicyDecision.Result.ALLOW);

        engine.pushEntities("""
                [{"uid":{"type":"Bulwark::Client","id":"bad-app"},"attrs":{},
                  "parents":[{"type":"Bulwark::ClientGroup","id":"blocked"}]}]""");

        PolicyDecision decision = engine.decide(request);
        assertThat(decision.result()).isEqualTo(PolicyDecision.Result.DENY);
        assertThat(decision.policyIds()).containsExactly("blocked-clients");
        assertThat(engine.decide(onCollection(user("alice", "orders:read"), Actions.READ)).result())
                .isEqualTo(PolicyDecision.Result.ALLOW);
    }

    @Test
    void pushedOrderOwnerIsEnforced() throws PolicyDataException {
        engine.pushEntities("""
                [{"uid":{"type":"Bulwark::Order","id":"o-7"},
                  "attrs":{"owner":{"__entity":{"type":"Bulwark::User","id":"alice"}}},
                  "parents":[{"type":"Bulwark::Collection","id":"orders"}]}]""");
        assertThat(engine.decide(onOrder(user("alice", "orders:read"), Actions.READ, "o-7", null)).result())
                .isEqualTo(PolicyDecision.Result.ALLOW);
        assertThat(engine.decide(onOrder(user("mallory", "orders:read"), Actions.READ, "o-7", null)).result())
                .isEqualTo(PolicyDecision.Result.DENY);
    }

    @Test
    void pushedEntityWithAnAttributeTheSchemaDoesNotKnowIsRejectedAndNothingChanges() throws PolicyDataException {
        engine.pushEntities("""
                [{"uid":{"type":"Bulwark::Client","id":"bad-app"},"attrs":{},
                  "parents":[{"type":"Bulwark::ClientGroup","id":"blocked"}]}]""");
        assertThatThrownBy(() -> engine.pushEntities("""
                [{"uid":{"type":"Bulwark::Order","id":"o-7"},"attrs":{"owner":"alice","admin":true},"parents":[]}]"""))
                .isInstanceOf(PolicyDataException.class).hasMessageContaining("entities");
        assertThatThrownBy(() -> engine.pushEntities("[{\"uid\":{\"type\":\"Bulwark::Wizard\",\"id\":\"x\"},\"attrs\":{},\"parents\":[]}]"))
                .isInstanceOf(PolicyDataException.class);
        assertThatThrownBy(() -> engine.pushEntities("{not json"))
                .isInstanceOf(PolicyDataException.class).hasMessageContaining("not Cedar entity JSON");

        assertThat(engine.status().pushedEntities()).isEqualTo(1);
        assertThat(engine.decide(onCollection(user("alice", "bad-app", Set.of("orders:read"), Set.of()), Actions.READ)).result())
                .isEqualTo(PolicyDecision.Result.DENY);
        assertThat(meters.counter("bulwark.policy.entity.pushes", "engine", "cedar", "result", "rejected").count()).isEqualTo(3);
        assertThat(meters.counter("bulwark.policy.entity.pushes", "engine", "cedar", "result", "applied").count()).isEqualTo(1);
    }

    @Test
    void unknownActionIsAnErrorNotAnAllow() {
        PolicyDecision decision = engine.decide(onCollection(user("alice", "orders:read"), "delete_everything"));
        assertThat(decision.result()).isEqualTo(PolicyDecision.Result.ERROR);
        assertThat(decision.errors()).singleElement().asString().contains("delete_everything");
    }

    @Test
    void contextKeyOutsideTheSchemaIsAnError() {
        PolicyDecision decision = engine.decide(new PolicyRequest(user("alice", "orders:read"), Actions.READ,
                PolicyRequest.Resource.collection("orders"), Map.of("is_admin", "true")));
        assertThat(decision.result()).isEqualTo(PolicyDecision.Result.ERROR);
        assertThat(decision.allowed()).isFalse();
    }

    @Test
    void decisionsAreCountedByResult() {
        engine.decide(onCollection(user("alice", "orders:read"), Actions.READ));
        engine.decide(onCollection(user("alice"), Actions.READ));
        assertThat(meters.counter("bulwark.policy.decisions", "engine", "cedar", "result", "allow").count()).isEqualTo(1);
        assertThat(meters.counter("bulwark.policy.decisions", "engine", "cedar", "result", "deny").count()).isEqualTo(1);
        assertThat(meters.timer("bulwark.policy.decision.duration", "engine", "cedar").count()).isEqualTo(2);
    }

    @Test
    void statusDescribesTheDefaults() {
        CedarPolicyEngine.Status status = engine.status();
        assertThat(status.policies()).isEqualTo(5);
        assertThat(status.entities()).isEqualTo(2);
        assertThat(status.source()).startsWith("classpath:");
        assertThat(status.lastError()).isNull();
    }
}
