package dev.bulwark.securitykit.boot.tracing;

import java.util.function.BiConsumer;

import dev.bulwark.securitykit.trace.TraceHeaders;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Installs a {@link TraceHeaders.Source} that writes the current Micrometer span with the application's
 * {@link Propagator} (W3C {@code traceparent}), so security-kit's JDK clients continue the trace; removes
 * it when the context closes.
 */
final class MicrometerTraceHeaders implements TraceHeaders.Source, SmartInitializingSingleton, DisposableBean {

    private final Tracer tracer;
    private final Propagator propagator;

    MicrometerTraceHeaders(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    public void inject(BiConsumer<String, String> header) {
        Span span = tracer.currentSpan();
        if (span != null) {
            propagator.inject(span.context(), header, BiConsumer::accept);
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        TraceHeaders.install(this);
    }

    @Override
    public void destroy() {
        TraceHeaders.uninstall(this);
    }
}
