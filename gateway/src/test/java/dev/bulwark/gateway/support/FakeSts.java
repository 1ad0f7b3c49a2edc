package dev.bulwark.gateway.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/** A real in-process JWKS + RFC 7662 introspection endpoint (com.sun.net.httpserver). */
public final class FakeSts implements AutoCloseable {

    private final HttpServer server;
    private final List<JWK> keys = new CopyOnWriteArrayList<>();
    private final Map<String, String> introspectionResponses = new ConcurrentHashMap<>();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicInteger introspections = new AtomicInteger();
    private final AtomicReference<String> lastIntrospectionAuthorization = new AtomicReference<>();
    private volatile boolean down;

    public FakeSts() throws IOException {
        this(null);
    }

    /** Over TLS when {@code tls} is given; then a client certificate is required. */
    public FakeSts(@Nullable SSLContext tls) throws IOException {
        server = Tls.server(tls);
        server.createContext("/oauth2/jwks", this::jwks);
        server.createContext("/oauth2/introspect", this::introspect);
        server.start();
    }

    public URI uri(String path) {
        return URI.create((server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public void publish(JWK key) {
        keys.add(key.toPublicJWK());
    }

    public void introspectionResponse(String token, String json) {
        introspectionResponses.put(token, json);
    }

    public void down(boolean down) {
        this.down = down;
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    public int introspections() {
        return introspections.get();
    }

    public String lastIntrospectionAuthorization() {
        return lastIntrospectionAuthorization.get();
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksFetches.incrementAndGet();
        if (down) {
            respond(exchange, 500, "{}");
            return;
        }
        respond(exchange, 200, new JWKSet(List.copyOf(keys)).toString(true));
    }

    private void introspect(HttpExchange exchange) throws IOException {
        introspections.incrementAndGet();
        lastIntrospectionAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (down) {
            respond(exchange, 503, "{}");
            return;
        }
        String token = null;
        for (String pair : form.split("&")) {
            if (pair.startsWith("token=")) {
                token = URLDecoder.decode(pair.substring("token=".length()), StandardCharsets.UTF_8);
            }
        }
        respond(exchange, 200, token == null ? "{\"active\":false}"
                : introspectionResponses.getOrDefault(token, "{\"active\":false}"));
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
