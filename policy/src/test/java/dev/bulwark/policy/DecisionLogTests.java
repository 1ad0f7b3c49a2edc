package dev.bulwark.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DecisionLogTests {

    private final DecisionLog log = new DecisionLog("cedar", new SimpleMeterRegistry());
    private final ListAppender<ILoggingEvent> decisions = new ListAppender<>();
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private final Logger decisionLogger = (Logger) LoggerFactory.getLogger(DecisionLog.LOGGER);
    private final Logger auditLogger = (Logger) LoggerFactory.getLogger("bulwark.audit");

    @BeforeEach
    void attach() {
        decisions.start();
        audit.start();
        decisionLogger.addAppender(decisions);
        auditLogger.addAppender(audit);
    }

    @AfterEach
    void detach() {
        decisionLogger.detachAppender(decisions);
        auditLogger.detachAppender(audit);
    }

    @Test
    void allowIsOneLineOnTheDecisionLoggerOnly() {
        PolicyRequest request = new PolicyRequest(new PolicyRequest.Principal("alice", "web", Set.of("orders:read"), Set.of()),
                Actions.READ, PolicyRequest.Resource.order("42", null), Map.of());
        log.record(request, new PolicyDecision("d-1", PolicyDecision.Result.ALLOW, List.of("orders-read-own"), List.of()),
                System.nanoTime());

        assertThat(decisions.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).isEqualTo(
                "event=policy_decision decision_id=d-1 engine=cedar principal=alice client_id=web action=read"
                        + " resource=Order::\"42\" result=ALLOW policies=[orders-read-own]");
        assertThat(audit.list).isEmpty();
    }

    @Test
    void denyAlsoGoesToTheAuditTrail() {
        PolicyRequest request = new PolicyRequest(new PolicyRequest.Principal("mallory", "web", Set.of(), Set.of()),
                Actions.CANCEL, PolicyRequest.Resource.order("42", "alice"), Map.of());
        log.record(request, new PolicyDecision("d-2", PolicyDecision.Result.DENY, List.of(), List.of()), System.nanoTime());

        assertThat(audit.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("principal=mallory", "action=cancel", "result=DENY");
    }

    @Test
    void callerChosenValuesCannotForgeASecondLineOrField() {
        PolicyRequest request = new PolicyRequest(new PolicyRequest.Principal("eve\nevent=policy_decision result=ALLOW", "web x",
                Set.of(), Set.of()), Actions.READ, PolicyRequest.Resource.order("1\r\n2", null), Map.of());
        log.record(request, new PolicyDecision("d-3", PolicyDecision.Result.ERROR, List.of(), List.of("bad \"quote\"\nnext")),
                System.nanoTime());

        String line = decisions.list.getFirst().getFormattedMessage();
        assertThat(line).doesNotContain("\n", "\r").contains("principal=eve_event=policy_decision_result=ALLOW")
                .contains("client_id=web_x").contains("errors=\"bad 'quote' next\"");
    }
}
