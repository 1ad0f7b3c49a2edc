package dev.bulwark.policy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An in-process server that speaks OPA's Data API ({@code POST /v1/data/<path>} with {@code {"input":..}})
 * and decides with the book policies written in Java, the same rules as the default Cedar policies.
 *
 * <p>Why not a real OPA: OPA's binary (and any Rego evaluator that runs without it) is not installable
 * on the machines this project builds on (no Debian/npm package, nothing on the Maven mirror). This
 * server pins down the contract the adapter relies on — the request shape, {@code {"result":true}},
 * {@code {"result":{"allow":true}}} for a package document, and {@code {}} for an undefined document —
 * and can misbehave on demand (status, body, delay) for the failure tests.
 *
 * <p>Documents: {@code bulwark/allow} → {@code {"result":<bool>}}; {@code bulwark} →
 * {@code {"result":{"allow":<bool>}}}; anything else → {@code {}} (undefined).
 */
public final class BookPolicyOpaServer implements AutoCloseable {

    private static final JsonMapper json = JsonMapper.builder().build();

    /** A canned answer that replaces the policy: status, body, and a delay before answering. */
    public record Answer(int status, String body, Duration delay) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<String> blockedClients = ConcurrentHashMap.newKeySet();
    private final Map<String, String> orderOwners = new ConcurrentHashMap<>();
    private final AtomicReference<Answer> override = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<JsonNode> lastInput = new AtomicReference<>();

    private BookPolicyOpaServer(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/v1/data/", this::handle);
    }

    /** Listens on a free loopback port. */
    public static BookPolicyOpaServer start() {
        try {
            BookPolicyOpaServer opa = new BookPolicyOpaServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
            opa.server.start();
            return opa;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Clients in this set get nothing (the {@code blocked-clients} forbid). */
    public Set<String> blockedClients() {
        return blockedClients;
    }

    /** Order ID → owner sub: the data OPA would have (bundles or the data API). */
    public Map<String, String> orderOwners() {
        return orderOwners;
    }

    /** Answers every request with {@code answer} (null: back to the policy). */
    public void override(@org.jspecify.annotations.Nullable Answer answer) {
        override.set(answer);
    }

    public int requests() {
        return requests.get();
    }

    /** The {@code input} of the last request. */
    public JsonNode lastInput() {
        return lastInput.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            Answer canned = override.get();
            if (canned != null) {
                sleep(canned.delay());
                send(exchange, canned.status(), canned.body());
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "{\"code\":\"method_not_allowed\"}");
                return;
            }
            JsonNode input = json.readTree(exchange.getRequestBody()).path("input");
            lastInput.set(input);
            boolean allow = allow(input);
            String document = exchange.getRequestURI().getPath().substring("/v1/data/".length());
            switch (document) {
                case "bulwark/allow" -> send(exchange, 200, "{\"result\":" + allow + "}");
                case "bulwark" -> send(exchange, 200, "{\"result\":{\"allow\":" + allow + "}}");
                default -> send(exchange, 200, "{}");
            }
        }
    }

    /** The book policies: the same rules as {@code dev/bulwark/policy/default/policies.cedar}. */
    boolean allow(JsonNode input) {
        JsonNode principal = input.path("principal");
        String sub = principal.path("sub").asString("");
        if (blockedClients.contains(principal.path("client_id").asString(""))) {
            return false;
        }
        Set<String> scopes = strings(principal.path("scopes"));
        Set<String> roles = strings(principal.path("roles"));
        String action = input.path("action").asString("");
        JsonNode resource = input.path("resource");
        String type = resource.path("type").asString("");
        String id = resource.path("id").asString("");
        if (type.equals("Collection") && id.equals("orders")) {
            return action.equals("read") && scopes.contains("orders:read") || action.equals("create") && scopes.contains("orders:write");
        }
        if (type.equals("Order")) {
            String owner = resource.hasNonNull("owner") ? resource.get("owner").asString() : orderOwners.get(id);
            return action.equals("read") && scopes.contains("orders:read") && (owner == null || owner.equals(sub))
                    || action.equals("cancel") && roles.contains("ops");
        }
        return false;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new java.util.HashSet<>();
        array.forEach(node -> values.add(node.asString()));
        return values;
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
