package dev.bulwark.securitykit.boot.tracing;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@code bulwark.tracing.log-spans} when set; otherwise spans are logged exactly when no OTLP endpoint
 * is configured, so that spans always go somewhere.
 */
final class LogSpansCondition extends SpringBootCondition {

    static final String LOG_SPANS = "bulwark.tracing.log-spans";
    static final String OTLP_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Environment environment = context.getEnvironment();
        String explicit = environment.getProperty(LOG_SPANS);
        if (explicit != null && !explicit.isBlank()) {
            boolean on = Boolean.parseBoolean(explicit.strip());
            return new ConditionOutcome(on, LOG_SPANS + "=" + explicit.strip());
        }
        String endpoint = environment.getProperty(OTLP_ENDPOINT);
        boolean noOtlp = endpoint == null || endpoint.isBlank();
        return new ConditionOutcome(noOtlp, noOtlp ? "no " + OTLP_ENDPOINT : OTLP_ENDPOINT + " is set");
    }
}
