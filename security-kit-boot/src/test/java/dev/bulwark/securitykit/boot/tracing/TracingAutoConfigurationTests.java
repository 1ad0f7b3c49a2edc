package dev.bulwark.securitykit.boot.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class TracingAutoConfigurationTests {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TracingAutoConfiguration.class));

    @Test
    void logSpanExporterWhenNoOtlpEndpointThenSpansAreLogged() {
        contexts.run(context -> assertThat(context).hasSingleBean(LogSpanExporter.class));
    }

    @Test
    void logSpanExporterWhenOtlpEndpointThenSpansGoOnlyToOtlp() {
        contexts.withPropertyValues("management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:4318/v1/traces")
                .run(context -> assertThat(context).doesNotHaveBean(LogSpanExporter.class));
    }

    @Test
    void logSpanExporterWhenLogSpansTrueThenLoggedBesideOtlp() {
        contexts.withPropertyValues("management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:4318/v1/traces",
                        "bulwark.tracing.log-spans=true")
                .run(context -> assertThat(context).hasSingleBean(LogSpanExporter.class));
    }

    @Test
    void logSpanExporterWhenLogSpansFalseThenNotLogged() {
        contexts.withPropertyValues("bulwark.tracing.log-spans=false")
                .run(context -> assertThat(context).doesNotHaveBean(LogSpanExporter.class));
    }

    @Test
    void tracingDefaultsWhenNothingConfiguredThenEveryRequestIsSampled() {
        StandardEnvironment environment = new StandardEnvironment();

        new TracingDefaults().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("management.tracing.sampling.probability")).isEqualTo("1.0");
        assertThat(environment.getProperty("spring.reactor.context-propagation")).isEqualTo("auto");
        assertThat(environment.getProperty("management.opentelemetry.tracing.export.schedule-delay")).isEqualTo("1s");
    }

    @Test
    void tracingDefaultsWhenProbabilityConfiguredThenConfigurationWins() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("app",
                Map.of("management.tracing.sampling.probability", "0.25")));

        new TracingDefaults().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("management.tracing.sampling.probability")).isEqualTo("0.25");
    }
}
