package dev.bulwark.securitykit.boot.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSpanExporterTests {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";
    private static final String PARENT = "a3ce929d0e0e4736";

    private final LogSpanExporter exporter = new LogSpanExporter("bulwark-order");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(LogSpanExporter.LOGGER);

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void formatWhenServerSpanWithParentThenOneGreppableLine() {
        SpanData span = span(SpanContext.createFromRemoteParent(TRACE, PARENT, TraceFlags.getSampled(), TraceState.getDefault()),
                "http get /orders/{id}", Attributes.of(AttributeKey.longKey("http.response.status_code"), 200L),
                StatusCode.UNSET);

        assertThat(exporter.format(span)).isEqualTo("event=span service=bulwark-order trace_id=" + TRACE + " span_id=" + SPAN
                + " parent_id=" + PARENT + " name=http_get_/orders/{id} kind=server duration_ms=12.500 status=unset"
                + " http_status=200");
    }

    @Test
    void formatWhenRootSpanThenParentIsDash() {
        SpanData span = span(SpanContext.getInvalid(), "gateway", Attributes.empty(), StatusCode.ERROR);

        assertThat(exporter.format(span)).contains(" parent_id=- ").contains(" status=error").doesNotContain("http_status");
    }

    @Test
    void formatWhenMicrometerStatusTagThenHttpStatus() {
        SpanData span = span(SpanContext.getInvalid(), "http post", Attributes.of(AttributeKey.stringKey("status"), "503"),
                StatusCode.OK);

        assertThat(exporter.format(span)).endsWith(" status=ok http_status=503");
    }

    @Test
    void formatWhenSpanCarriesUrlAndHeadersThenTheyAreNotLogged() {
        Attributes attributes = Attributes.builder()
                .put("url.full", "https://sts.test/oauth2/token?access_token=secret-token")
                .put("http.request.header.authorization", "Bearer secret-token")
                .build();
        SpanData span = span(SpanContext.getInvalid(), "http post", attributes, StatusCode.UNSET);

        assertThat(exporter.format(span)).doesNotContain("secret-token").doesNotContain("url");
    }

    @Test
    void formatWhenNameHasSpacesQuotesOrEqualsThenItStaysOneToken() {
        SpanData span = span(SpanContext.getInvalid(), "a \"b\"=c\nd", Attributes.empty(), StatusCode.UNSET);

        assertThat(exporter.format(span)).contains(" name=a__b__c_d kind=");
    }

    @Test
    void exportWhenSpansThenOneInfoLinePerSpanOnBulwarkTrace() {
        SpanContext remote = SpanContext.createFromRemoteParent(TRACE, PARENT, TraceFlags.getSampled(), TraceState.getDefault());
        exporter.export(List.of(span(remote, "one", Attributes.empty(), StatusCode.UNSET),
                span(remote, "two", Attributes.empty(), StatusCode.UNSET)));

        assertThat(lines.list).hasSize(2);
        assertThat(lines.list).allSatisfy(event -> {
            assertThat(event.getLoggerName()).isEqualTo("bulwark.trace");
            assertThat(event.getFormattedMessage()).startsWith("event=span service=bulwark-order trace_id=" + TRACE);
        });
    }

    @Test
    void exportWhenInternalSpanThenNotLoggedUnlessAskedFor() {
        SpanData internal = span(SpanContext.getInvalid(), "security filterchain before", Attributes.empty(), StatusCode.OK);

        exporter.export(List.of(internal));
        assertThat(lines.list).isEmpty();

        new LogSpanExporter("bulwark-order", true).export(List.of(internal));
        assertThat(lines.list).singleElement().satisfies(event -> assertThat(event.getFormattedMessage())
                .contains(" name=security_filterchain_before kind=internal "));
    }

    /** A real SDK span with fixed ids and times (the SDK's test helpers are not on the mirror). */
    private static SpanData span(SpanContext parent, String name, Attributes attributes, StatusCode status) {
        List<SpanData> finished = new ArrayList<>();
        SpanExporter capture = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                finished.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        IdGenerator ids = new IdGenerator() {
            @Override
            public String generateSpanId() {
                return SPAN;
            }

            @Override
            public String generateTraceId() {
                return TRACE;
            }
        };
        try (SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(ids)
                .addSpanProcessor(SimpleSpanProcessor.create(capture)).build()) {
            Context context = parent.isValid() ? Context.root().with(Span.wrap(parent)) : Context.root();
            Span span = provider.get("test").spanBuilder(name)
                    .setParent(context)
                    .setSpanKind(parent.isValid() ? SpanKind.SERVER : SpanKind.INTERNAL)
                    .setStartTimestamp(1_000_000_000L, TimeUnit.NANOSECONDS)
                    .setAllAttributes(attributes)
                    .startSpan();
            span.setStatus(status);
            span.end(1_012_500_000L, TimeUnit.NANOSECONDS);
        }
        return finished.getFirst();
    }
}
