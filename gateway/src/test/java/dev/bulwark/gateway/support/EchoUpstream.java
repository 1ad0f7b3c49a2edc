package dev.bulwark.gateway.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/** A real in-process upstream that records every request it gets and answers 200. */
public final class EchoUpstream implements AutoCloseable {

    public record Seen(String method, String path, Map<String, List<String>> headers, @Nullable String clientCertificate) {

        public List<String> header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }
    }

    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicReference<Seen> last = new AtomicReference<>();

    public EchoUpstream() throws IOException {
        this(null);
    }

    /** Over TLS when {@code tls} is given; then a client certificate is required. */
    public EchoUpstream(@Nullable SSLContext tls) throws IOException {
        server = Tls.server(tls);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create((server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort());
    }

    public int hits() {
        return hits.get();
    }

    public Seen last() {
        return last.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        String clientCertificate = null;
        if (exchange instanceof com.sun.net.httpserver.HttpsExchange https) {
            clientCertificate = ((java.security.cert.X509Certificate) https.getSSLSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
        }
        last.set(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, clientCertificate));
        hits.incrementAndGet();
        byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Server", "EchoServer/1.0");
        exchange.getResponseHeaders().set("X-Powered-By", "Echo");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
