package dev.bulwark.securitykit.boot.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With {@code management.opentelemetry.tracing.export.otlp.endpoint} set, spans go to that OTLP/HTTP
 * endpoint (protobuf over the JDK's HttpClient sender) and are not logged. The collector is an
 * in-process HTTP server that records what it is sent.
 */
class OtlpExportIT {

    private record Received(String method, String path, String contentType, int bytes) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer collector;
    private ConfigurableApplicationContext app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (collector != null) {
            collector.stop(0);
        }
    }

    @Test
    void spansAreExportedToTheConfiguredOtlpEndpointAndNotLogged() throws Exception {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body.length));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        app = new SpringApplicationBuilder(TracingTestApp.class)
                .web(WebApplicationType.SERVLET)
                .run("--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                        "--spring.application.name=otlp-app", "--management.server.port=-1",
                        "--management.opentelemetry.tracing.export.schedule-delay=100ms",
                        "--management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:"
                                + collector.getAddress().getPort() + "/v1/traces");

        assertThat(app.getBeansOfType(LogSpanExporter.class)).isEmpty();
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/back"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).anySatisfy(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/v1/traces");
            assertThat(request.contentType()).isEqualTo("application/x-protobuf");
            assertThat(request.bytes()).isPositive();
        }));
    }
}
