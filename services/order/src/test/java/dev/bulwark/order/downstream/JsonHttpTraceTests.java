package dev.bulwark.order.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.securitykit.trace.TraceHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The order service's downstream calls carry the current trace context, so inventory's spans join the order's trace. */
class JsonHttpTraceTests {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final AtomicReference<String> received = new AtomicReference<>();
    private final TraceHeaders.Source source = header -> header.accept("traceparent", TRACEPARENT);
    private HttpServer inventory;
    private JsonHttp http;

    @BeforeEach
    void start() throws Exception {
        inventory = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        inventory.createContext("/", exchange -> {
            received.set(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        inventory.start();
        SSLContext tls = SSLContext.getDefault();
        http = new JsonHttp("inventory", tls, tls.getDefaultSSLParameters(), JsonMapper.builder().build(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        TraceHeaders.uninstall(source);
        http.close();
        inventory.stop(0);
    }

    @Test
    void sendWhenTraceContextInstalledThenDownstreamGetsTraceparent() throws IOException {
        TraceHeaders.install(source);

        http.send("reserve", "POST", uri(), "access-token", java.util.Map.of("sku", "x"));

        assertThat(received.get()).isEqualTo(TRACEPARENT);
    }

    @Test
    void sendWhenNoTracingThenNoTraceparent() {
        http.send("reserve", "POST", uri(), "access-token", null);

        assertThat(received.get()).isEqualTo("null");
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + inventory.getAddress().getPort() + "/reservations");
    }
}
