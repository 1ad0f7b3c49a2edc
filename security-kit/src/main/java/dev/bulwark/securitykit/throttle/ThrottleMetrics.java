package dev.bulwark.securitykit.throttle;

import java.util.Locale;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The throttle's meters: {@code bulwark.throttle.decisions{component,rule,result}} (result
 * {@code allowed}, {@code throttled} or {@code unavailable}) and
 * {@code bulwark.throttle.backend.failures{component,backend}}.
 */
public final class ThrottleMetrics {

    private final MeterRegistry registry;
    private final String component;

    public ThrottleMetrics(MeterRegistry registry, String component) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.component = Objects.requireNonNull(component, "component");
    }

    /** Metrics that go nowhere (tests, benchmarks). */
    public static ThrottleMetrics none(String component) {
        return new ThrottleMetrics(new SimpleMeterRegistry(), component);
    }

    public String component() {
        return component;
    }

    public void decision(String rule, ThrottleDecision.Outcome outcome) {
        Counter.builder("bulwark.throttle.decisions").description("Throttle decisions by rule and result")
                .tag("component", component).tag("rule", rule).tag("result", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    public void backendFailure(String backend) {
        Counter.builder("bulwark.throttle.backend.failures")
                .description("Calls to a shared throttle backend that failed (then the failure mode applies)")
                .tag("component", component).tag("backend", backend).register(registry).increment();
    }
}
