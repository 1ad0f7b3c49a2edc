package dev.bulwark.gateway.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A real in-process RFC 8693 token endpoint ({@code /oauth2/token}, TLS with a required client
 * certificate). It answers by the subject token's {@code sub}: {@code refused} → 400 {@code invalid_grant},
 * {@code scopeless} → 400 {@code invalid_scope}, {@code broken} → 503, {@code hangup} → the connection is
 * closed without an answer; anyone else gets a fresh opaque token, remembered in {@link #issued()}.
 */
public final class StubTokenEndpoint implements AutoCloseable {

    /** One request as the endpoint saw it. */
    public record Request(Map<String, String> form, @Nullable String clientCertificateSubject, @Nullable String traceparent) {
    }

    private final HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();

    public StubTokenEndpoint(SSLContext tls) throws IOException {
        server = Tls.server(tls);
        server.createContext("/oauth2/token", this::token);
        server.start();
    }

    public URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public int calls() {
        return calls.get();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Every token this endpoint issued, oldest first. */
    public List<String> issued() {
        return List.copyOf(issued);
    }

    private void token(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String peer = null;
        if (exchange instanceof com.sun.net.httpserver.HttpsExchange https) {
            peer = ((java.security.cert.X509Certificate) https.getSSLSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
        }
        requests.add(new Request(Map.copyOf(form), peer, exchange.getRequestHeaders().getFirst("traceparent")));
        String subject = subject(form.get("subject_token"));
        switch (subject) {
            case "refused" -> respond(exchange, 400, "{\"error\":\"invalid_grant\"}");
            case "scopeless" -> respond(exchange, 400, "{\"error\":\"invalid_scope\"}");
            case "broken" -> respond(exchange, 503, "{\"error\":\"temporarily_unavailable\"}");
            case "hangup" -> exchange.close(); // no status line at all: the client sees the connection end
            default -> {
                String token = "exchanged-" + UUID.randomUUID();
                issued.add(token);
                respond(exchange, 200, "{\"access_token\":\"" + token + "\",\"issued_token_type\":"
                        + "\"urn:ietf:params:oauth:token-type:access_token\",\"token_type\":\"Bearer\","
                        + "\"expires_in\":300,\"scope\":\"delivery:write\"}");
            }
        }
    }

    private static String subject(@Nullable String token) {
        try {
            return token == null ? "" : String.valueOf(SignedJWT.parse(token).getJWTClaimsSet().getSubject());
        } catch (ParseException e) {
            return "";
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
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
