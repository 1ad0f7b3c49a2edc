/**
 * Distributed tracing for every component: Micrometer Tracing over the OpenTelemetry SDK (Spring
 * Boot's auto-configuration), W3C Trace Context propagation, 100% sampling unless configured; spans
 * exported by OTLP when {@code management.opentelemetry.tracing.export.otlp.endpoint} is set, else each
 * finished span logged on {@code bulwark.trace} as one {@code event=span} line. The JDK clients of
 * security-kit (the STS {@code TokenClient}) get the current trace context through {@link
 * dev.bulwark.securitykit.trace.TraceHeaders}.
 */
@NullMarked
package dev.bulwark.securitykit.boot.tracing;

import org.jspecify.annotations.NullMarked;
