/**
 * Trace context on the JDK {@link java.net.http.HttpClient} calls this library and its users make:
 * {@link dev.bulwark.securitykit.trace.TraceHeaders} adds the W3C Trace Context headers ({@code
 * traceparent}, {@code tracestate}; W3C Trace Context §3) of the current span to an outgoing request,
 * so that a token exchange at the STS joins the trace of the request that caused it. Framework-free:
 * the tracer is plugged in from outside (security-kit-boot installs one backed by Micrometer Tracing);
 * without one nothing is added.
 */
@NullMarked
package dev.bulwark.securitykit.trace;

import org.jspecify.annotations.NullMarked;
