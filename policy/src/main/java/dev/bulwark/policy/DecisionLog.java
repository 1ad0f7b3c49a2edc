package dev.bulwark.policy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every decision of one engine: a line on logger {@code bulwark.policy}
 * ({@code event=policy_decision decision_id=.. engine=cedar principal=<sub> client_id=.. action=read
 * resource=Order::"42" result=ALLOW policies=[orders-read-own]}), the same line on {@code bulwark.audit}
 * for a denial or an error, the counter {@code bulwark.policy.decisions{engine,result}} and the timer
 * {@code bulwark.policy.decision.duration{engine}}. Never logs a token: the request holds none.
 */
public final class DecisionLog {

    /** The decision log's logger. */
    public static final String LOGGER = "bulwark.policy";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final Logger audit = LoggerFactory.getLogger("bulwark.audit");

    private final String engine;
    private final Map<PolicyDecision.Result, Counter> decisions = new EnumMap<>(PolicyDecision.Result.class);
    private final Timer duration;

    /** A log for the engine named {@code engine} ({@code cedar}, {@code opa}), registering its meters on {@code meters}. */
    public DecisionLog(String engine, MeterRegistry meters) {
        this.engine = Objects.requireNonNull(engine, "engine");
        for (PolicyDecision.Result result : PolicyDecision.Result.values()) {
            decisions.put(result, Counter.builder("bulwark.policy.decisions")
                    .description("Policy decisions by engine and result (allow, deny, error)")
                    .tag("engine", engine).tag("result", result.name().toLowerCase(Locale.ROOT)).register(meters));
        }
        duration = Timer.builder("bulwark.policy.decision.duration").description("Time to decide one policy request")
                .tag("engine", engine).publishPercentileHistogram(false).register(meters);
    }

    /** Logs and counts {@code decision}, taken since {@code startNanos} ({@link System#nanoTime()}); returns it. */
    public PolicyDecision record(PolicyRequest request, PolicyDecision decision, long startNanos) {
        duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        decisions.get(decision.result()).increment();
        boolean refused = decision.result() != PolicyDecision.Result.ALLOW;
        if (log.isInfoEnabled() || refused && audit.isInfoEnabled()) {
            String line = line(request, decision);
            log.info(line);
            if (refused) {
                audit.info(line);
            }
        }
        return decision;
    }

    String line(PolicyRequest request, PolicyDecision decision) {
        StringBuilder line = new StringBuilder(192).append("event=policy_decision decision_id=").append(decision.decisionId())
                .append(" engine=").append(engine)
                .append(" principal=").append(clean(request.principal().id()))
                .append(" client_id=").append(clean(request.principal().clientId()))
                .append(" action=").append(clean(request.action()))
                .append(" resource=").append(clean(CedarRequests.label(request.resource())))
                .append(" result=").append(decision.result())
                .append(" policies=").append(decision.policyIds());
        if (!decision.errors().isEmpty()) {
            line.append(" errors=\"").append(quoted(String.join("; ", decision.errors()))).append('"');
        }
        return line.toString();
    }

    /** A free-text value inside double quotes: no line breaks, no double quotes, at most 512 characters. */
    private static String quoted(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), 512));
        for (int i = 0; i < value.length() && out.length() < 512; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c == '"' ? '\'' : c);
        }
        return out.toString();
    }

    /** Keeps one decision on one line: a caller-chosen ID cannot forge a second log line. */
    private static String clean(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length() && out.length() < 256; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) || c == ' ' ? '_' : c);
        }
        return out.toString();
    }
}
