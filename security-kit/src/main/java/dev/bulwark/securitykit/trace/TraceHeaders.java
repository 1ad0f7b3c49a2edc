package dev.bulwark.securitykit.trace;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The process-wide source of trace context headers for outgoing JDK {@link HttpRequest}s (W3C Trace
 * Context §3.2 {@code traceparent}, §3.3 {@code tracestate}).
 *
 * <p>Process-wide because the JDK clients are built in plain code (the STS {@code TokenClient}, the
 * order service's downstream clients) that has no container to hand it a tracer. The application
 * {@linkplain #install installs} a {@link Source} once at start-up; the default adds nothing, so the
 * library works the same without tracing. A source must only add trace context, never a credential.
 * Several applications in one JVM (tests, an embedded system) each install theirs; the latest one
 * still installed is used.
 */
public final class TraceHeaders {

    /** Writes the current trace context as headers; called on the thread that builds the request. */
    @FunctionalInterface
    public interface Source {

        /** Calls {@code header} once per header to add; nothing when there is no current span. */
        void inject(BiConsumer<String, String> header);
    }

    private static final Source NONE = header -> { };

    private static final List<Source> installed = new CopyOnWriteArrayList<>();

    private TraceHeaders() {
    }

    /** Makes {@code source} the source for every later request; returns the one it replaced. */
    public static Source install(Source source) {
        Objects.requireNonNull(source, "source");
        Source previous = current();
        installed.add(source);
        return previous;
    }

    /** Removes {@code source}; the one installed before it (if still installed) is used again. */
    public static void uninstall(Source source) {
        installed.remove(source);
    }

    /**
     * Adds the current trace context to {@code request} and returns it. A failing source is ignored:
     * tracing never fails a call.
     */
    public static HttpRequest.Builder addTo(HttpRequest.Builder request) {
        Objects.requireNonNull(request, "request");
        try {
            current().inject(request::setHeader);
        } catch (RuntimeException e) {
            // best effort by design: a trace header is worth less than the call that carries it
        }
        return request;
    }

    private static Source current() {
        List<Source> sources = installed;
        // a concurrent uninstall may empty the list between the check and the read
        try {
            return sources.isEmpty() ? NONE : sources.getLast();
        } catch (java.util.NoSuchElementException e) {
            return NONE;
        }
    }
}
