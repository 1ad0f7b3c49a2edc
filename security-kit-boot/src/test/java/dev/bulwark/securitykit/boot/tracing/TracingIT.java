package dev.bulwark.securitykit.boot.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two real Boot apps on Tomcat, {@code front} calling {@code back}: one request's spans in both apps,
 * logged as {@code event=span} lines on {@code bulwark.trace} (no OTLP endpoint), carry one trace id;
 * the W3C {@code traceparent} reaches {@code back} both through Spring's observed RestClient and
 * through a JDK client request decorated by {@link dev.bulwark.securitykit.trace.TraceHeaders} (the
 * TokenClient path).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracingIT {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
    private static final Pattern TRACE_ID = Pattern.compile(" trace_id=([0-9a-f]{32}) ");

    private final ListAppender<ILoggingEvent> spans = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(LogSpanExporter.LOGGER);
    private ConfigurableApplicationContext back;
    private ConfigurableApplicationContext front;

    @BeforeAll
    void start() {
        back = app("back", "http://127.0.0.1:1");
        // started last, so its trace header source is the installed one
        front = app("front", "http://127.0.0.1:" + port(back));
        // after the start: Spring Boot's logging initialisation resets Logback's appenders
        spans.start();
        logger.addAppender(spans);
    }

    @AfterAll
    void stop() {
        if (front != null) {
            front.close();
        }
        if (back != null) {
            back.close();
        }
        logger.detachAppender(spans);
    }

    @Test
    void oneRequestThroughTwoAppsIsOneTraceInBothSpanLogs() throws Exception {
        String body = get(URI.create("http://127.0.0.1:" + port(front) + "/front"));

        List<String> received = body.lines().toList();
        assertThat(received).hasSize(2).allMatch(line -> TRACEPARENT.matcher(line).matches());
        String traceId = traceId(received.get(0));
        assertThat(traceId(received.get(1))).as("the JDK client (TraceHeaders) continues the same trace").isEqualTo(traceId);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> lines = lines(traceId);
            assertThat(lines).anyMatch(line -> line.contains("service=front") && line.contains(" kind=server"));
            assertThat(lines).anyMatch(line -> line.contains("service=front") && line.contains(" kind=client"));
            assertThat(lines.stream().filter(line -> line.contains("service=back") && line.contains(" kind=server")))
                    .as("back's server span of both calls").hasSize(2);
        });
        assertThat(lines(traceId)).allSatisfy(line -> assertThat(line).startsWith("event=span service=")
                .containsPattern(" span_id=[0-9a-f]{16} parent_id=([0-9a-f]{16}|-) name=\\S+ kind=\\w+ duration_ms=[0-9.]+ "));
    }

    @Test
    void requestWithoutIncomingContextStartsANewTraceEachTime() throws Exception {
        String first = get(URI.create("http://127.0.0.1:" + port(front) + "/front")).lines().findFirst().orElseThrow();
        String second = get(URI.create("http://127.0.0.1:" + port(front) + "/front")).lines().findFirst().orElseThrow();

        assertThat(traceId(first)).isNotEqualTo(traceId(second));
    }

    @Test
    void incomingTraceparentIsContinued() throws Exception {
        String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(front) + "/front"))
                .header("traceparent", parent).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            String body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body.lines()).allSatisfy(line -> assertThat(traceId(line)).isEqualTo("0af7651916cd43dd8448eb211c80319c"));
        }
    }

    private List<String> lines(String traceId) {
        synchronized (spans.list) {
            return spans.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> {
                        Matcher matcher = TRACE_ID.matcher(line);
                        return matcher.find() && matcher.group(1).equals(traceId);
                    })
                    .toList();
        }
    }

    private static String traceId(String traceparent) {
        Matcher matcher = TRACEPARENT.matcher(traceparent);
        assertThat(matcher.matches()).as("traceparent %s", traceparent).isTrue();
        return matcher.group(1);
    }

    private static String get(URI uri) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s: %s", uri, response.body()).isEqualTo(200);
            return response.body();
        }
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static ConfigurableApplicationContext app(String name, String backUri) {
        return new SpringApplicationBuilder(TracingTestApp.class)
                .web(WebApplicationType.SERVLET)
                .run("--server.port=0",
                        "--server.address=127.0.0.1",
                        "--spring.main.banner-mode=off",
                        "--spring.application.name=" + name,
                        "--management.opentelemetry.tracing.export.schedule-delay=100ms",
                        "--management.server.port=-1",
                        "--test.back-uri=" + backUri);
    }
}
