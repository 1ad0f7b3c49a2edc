package dev.bulwark.securitykit.boot.tracing;

import java.util.Collection;
import java.util.Locale;
import java.util.Objects;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each finished span as one line on the logger {@value #LOGGER}, for when no OTLP collector is
 * configured: {@code event=span service=.. trace_id=.. span_id=.. parent_id=.. name=.. kind=..
 * duration_ms=.. status=..} ({@code http_status=..} when the span has one). One request's lines in
 * every component share its {@code trace_id}, so {@code grep trace_id=<id>} follows it through the
 * system.
 *
 * <p>Only these fields are written, never the span's other attributes: those can hold URLs with query
 * strings, and a query string can hold a credential.
 *
 * <p>By default only the spans that cross a process boundary (kind server, client, producer,
 * consumer) are logged: Spring Security alone adds about ten internal spans to every request (filter
 * chain, authentication, authorization), which would bury the hops in the log. An OTLP collector
 * gets them all.
 */
public final class LogSpanExporter implements SpanExporter {

    /** The logger the span lines go to. */
    public static final String LOGGER = "bulwark.trace";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final String NO_PARENT = "-";
    private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> MICROMETER_STATUS = AttributeKey.stringKey("status");

    private final String service;
    private final boolean internal;

    /** Lines name {@code service} (the component's {@code spring.application.name}); internal spans are skipped. */
    public LogSpanExporter(String service) {
        this(service, false);
    }

    /** As {@link #LogSpanExporter(String)}, logging internal spans too when {@code internal}. */
    public LogSpanExporter(String service, boolean internal) {
        this.service = token(Objects.requireNonNull(service, "service"));
        this.internal = internal;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        if (log.isInfoEnabled()) {
            for (SpanData span : spans) {
                if (internal || span.getKind() != SpanKind.INTERNAL) {
                    log.info(format(span));
                }
            }
        }
        return CompletableResultCode.ofSuccess();
    }

    /** The line for {@code span} (without the logger's own prefix). */
    String format(SpanData span) {
        SpanContext parent = span.getParentSpanContext();
        StringBuilder line = new StringBuilder(200)
                .append("event=span service=").append(service)
                .append(" trace_id=").append(span.getTraceId())
                .append(" span_id=").append(span.getSpanId())
                .append(" parent_id=").append(parent.isValid() ? parent.getSpanId() : NO_PARENT)
                .append(" name=").append(token(span.getName()))
                .append(" kind=").append(span.getKind().name().toLowerCase(Locale.ROOT))
                .append(" duration_ms=").append(durationMillis(span))
                .append(" status=").append(status(span.getStatus().getStatusCode()));
        String httpStatus = httpStatus(span);
        if (httpStatus != null) {
            line.append(" http_status=").append(httpStatus);
        }
        return line.toString();
    }

    private static String durationMillis(SpanData span) {
        long nanos = Math.max(0, span.getEndEpochNanos() - span.getStartEpochNanos());
        return String.format(Locale.ROOT, "%.3f", nanos / 1_000_000.0);
    }

    private static String status(StatusCode code) {
        return switch (code) {
            case OK -> "ok";
            case ERROR -> "error";
            case UNSET -> "unset";
        };
    }

    private static @Nullable String httpStatus(SpanData span) {
        Long code = span.getAttributes().get(HTTP_STATUS);
        if (code != null) {
            return Long.toString(code);
        }
        String tag = span.getAttributes().get(MICROMETER_STATUS);
        return tag != null && tag.matches("\\d{3}") ? tag : null;
    }

    /** A value as one key=value token: spaces and quotes would split or fake a field, so they become '_'. */
    private static String token(String value) {
        String cleaned = value.replaceAll("[\\s\"=\\p{Cntrl}]", "_");
        return cleaned.isEmpty() ? "_" : cleaned;
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
