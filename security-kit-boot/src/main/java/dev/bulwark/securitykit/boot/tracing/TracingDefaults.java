package dev.bulwark.securitykit.boot.tracing;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Bulwark's tracing defaults, below every other property source (any configuration wins):
 * <ul>
 *   <li>{@code management.tracing.sampling.probability=1.0}: every request traced (Spring Boot's
 *       default is 0.1, which would lose most of the hops of a single request under test);
 *   <li>{@code spring.reactor.context-propagation=auto}: reactive components (the gateway) see the
 *       current span in thread locals, so blocking calls made from a reactive chain (the STS token
 *       exchange) carry the trace context;
 *   <li>{@code management.opentelemetry.tracing.export.schedule-delay=1s} (Spring Boot's default is
 *       5 s): finished spans reach the log or the collector within a second, so a request can be
 *       followed right after it was made.
 * </ul>
 */
public final class TracingDefaults implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "bulwarkTracingDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getPropertySources().contains(SOURCE_NAME)) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(
                    "management.tracing.sampling.probability", "1.0",
                    "spring.reactor.context-propagation", "auto",
                    "management.opentelemetry.tracing.export.schedule-delay", "1s")));
        }
    }
}
