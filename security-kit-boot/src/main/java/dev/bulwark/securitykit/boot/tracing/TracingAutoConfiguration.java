package dev.bulwark.securitykit.boot.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * Bulwark's part of tracing; Spring Boot builds the tracer (OpenTelemetry SDK, W3C propagation, the
 * sampler from {@code management.tracing.sampling.probability}, which {@link TracingDefaults} sets to 1.0
 * unless configured) and the OTLP exporter (when {@code
 * management.opentelemetry.tracing.export.otlp.endpoint} is set). This adds:
 * <ul>
 *   <li>the {@link LogSpanExporter} on {@code bulwark.trace} when there is no OTLP endpoint (or
 *       {@code bulwark.tracing.log-spans=true}); internal spans only with {@code
 *       bulwark.tracing.log-internal-spans=true};
 *   <li>the trace context for security-kit's JDK clients ({@link MicrometerTraceHeaders}).
 * </ul>
 */
@AutoConfiguration(after = {MicrometerTracingAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class})
@ConditionalOnClass({SpanExporter.class, Tracer.class})
public class TracingAutoConfiguration {

    @Bean
    @Conditional(LogSpansCondition.class)
    LogSpanExporter bulwarkLogSpanExporter(Environment environment) {
        return new LogSpanExporter(environment.getProperty("spring.application.name", "application"),
                environment.getProperty("bulwark.tracing.log-internal-spans", Boolean.class, false));
    }

    @Bean
    @ConditionalOnBean({Tracer.class, Propagator.class})
    MicrometerTraceHeaders bulwarkTraceHeaders(Tracer tracer, Propagator propagator) {
        return new MicrometerTraceHeaders(tracer, propagator);
    }
}
