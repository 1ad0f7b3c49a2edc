package dev.bulwark.policy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.bulwark.securitykit.tls.SpiffeTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The policy admin API: HTTPS on 127.0.0.1, mutual TLS needed, only the admin SPIFFE ID served.
 * <ul>
 *   <li>{@code PUT /admin/policy/entities} with a Cedar entities JSON array (at most 1 MiB) → 204, the
 *       engine's pushed layer replaced; invalid data → 400 problem JSON naming the error, nothing changed;</li>
 *   <li>{@code GET /admin/policy/status} → the engine's {@link CedarPolicyEngine.Status} as JSON.</li>
 * </ul>
 * A peer with another SPIFFE ID gets 403 (when the trust manager did not already refuse it). Errors are
 * RFC 9457 problem details.
 */
public final class PolicyAdminServer implements AutoCloseable {

    /** The largest entity document accepted. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(PolicyAdminServer.class);
    private static final Logger audit = LoggerFactory.getLogger("bulwark.audit");
    private static final JsonMapper json = JsonMapper.builder().build();

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String adminSpiffeId;
    private final CedarPolicyEngine engine;

    private PolicyAdminServer(HttpsServer server, String adminSpiffeId, CedarPolicyEngine engine) {
        this.server = server;
        this.adminSpiffeId = adminSpiffeId;
        this.engine = engine;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Serves on 127.0.0.1:{@code port} (0: any free port).
     *
     * @param needClientAuthTls a server context that verifies client SVIDs ({@link SpiffeTls#serverContext})
     * @param adminSpiffeId the only peer served, e.g. {@code spiffe://ecomm.local/admin}
     */
    public static PolicyAdminServer start(int port, SSLContext needClientAuthTls, String adminSpiffeId, CedarPolicyEngine engine) {
        Objects.requireNonNull(needClientAuthTls, "needClientAuthTls");
        Objects.requireNonNull(adminSpiffeId, "adminSpiffeId");
        Objects.requireNonNull(engine, "engine");
        if (!adminSpiffeId.startsWith("spiffe://")) {
            throw new IllegalArgumentException("admin SPIFFE ID: " + adminSpiffeId + " (expected: spiffe://<trust domain>/<path>)");
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(needClientAuthTls) {
                @Override
                public void configure(HttpsParameters parameters) {
                    parameters.setSSLParameters(SpiffeTls.serverParameters(needClientAuthTls));   // need client auth
                }
            });
            PolicyAdminServer admin = new PolicyAdminServer(https, adminSpiffeId, engine);
            https.start();
            log.info("event=policy_admin_started address={} admin_spiffe_id={}", https.getAddress(), adminSpiffeId);
            return admin;
        } catch (IOException e) {
            throw new UncheckedIOException("policy admin port: cannot listen on " + address, e);
        }
    }

    /** The port listened on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (Problem p) {
                sendProblem(exchange, p.status, p.title, p.getMessage());
            } catch (RuntimeException e) {
                log.warn("event=policy_admin_failed method={} path={} reason={}", exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(), e.toString());
                sendProblem(exchange, 500, "Internal Server Error", "the request failed; see the log");
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String peer = exchange instanceof HttpsExchange https ? SpiffeTls.peerSpiffeId(https.getSSLSession()).orElse("") : "";
        if (!peer.equals(adminSpiffeId)) {
            audit.info("event=policy_admin_denied peer_spiffe_id={}", peer.isEmpty() ? "none" : peer);
            throw new Problem(403, "Forbidden",
                    "client: " + (peer.isEmpty() ? "no SPIFFE ID" : peer) + " (expected: " + adminSpiffeId + ")");
        }
        String path = exchange.getRequestURI().getRawPath();
        switch (path) {
            case "/admin/policy/entities" -> {
                requireMethod(exchange, "PUT");
                String body = new String(body(exchange), StandardCharsets.UTF_8);
                try {
                    engine.pushEntities(body);
                } catch (PolicyDataException e) {
                    throw new Problem(400, "Bad Request", e.getMessage());
                }
                audit.info("event=policy_entities_pushed peer_spiffe_id={} entities={}", peer, engine.status().pushedEntities());
                send(exchange, 204, "application/json", "");
            }
            case "/admin/policy/status" -> {
                requireMethod(exchange, "GET");
                send(exchange, 200, "application/json", json.writeValueAsString(status(engine.status())));
            }
            default -> throw new Problem(404, "Not Found",
                    "path: " + path + " (expected: /admin/policy/entities or /admin/policy/status)");
        }
    }

    private static Map<String, Object> status(CedarPolicyEngine.Status status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", status.source());
        body.put("policies", status.policies());
        body.put("entities", status.entities());
        body.put("pushed_entities", status.pushedEntities());
        body.put("last_reload", status.lastReload().toString());
        body.put("fingerprint", status.fingerprint());
        body.put("last_error", status.lastError());
        body.put("last_error_at", status.lastErrorAt() == null ? null : status.lastErrorAt().toString());
        return body;
    }

    private static void requireMethod(HttpExchange exchange, String allowed) {
        if (!exchange.getRequestMethod().equals(allowed)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            throw new Problem(405, "Method Not Allowed", "method: " + exchange.getRequestMethod() + " (expected: " + allowed + ")");
        }
    }

    private static byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new Problem(413, "Content Too Large", "body: more than " + MAX_BODY_BYTES + " bytes (expected: at most "
                        + MAX_BODY_BYTES + ")");
            }
            return body;
        }
    }

    private static void sendProblem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        send(exchange, status, "application/problem+json", json.writeValueAsString(problem));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** A refused request: status, problem title, detail. */
    private static final class Problem extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String title;

        Problem(int status, String title, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.title = title;
        }
    }
}
