package dev.bulwark.policy;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An adapter to an Open Policy Agent server's Data API (OPA REST API, "Get a Document (with Input)"):
 * {@code POST <baseUrl>/v1/data/<path>} with body
 * {@code {"input":{"principal":{"sub","client_id","scopes","roles"},"action","resource":{"type","id","owner"},"context":{..}}}}.
 *
 * <p>200 with {@code {"result":true}} or {@code {"result":{"allow":true}}} → ALLOW; a false or missing
 * result (OPA's "undefined document") → DENY; any other status, a timeout, an I/O failure or a body that
 * is not JSON → ERROR (callers refuse). The Rego policy itself lives with the OPA server; the contract
 * it must meet is tested against an in-process Data API server in this module's tests.
 */
public final class OpaPolicyEngine implements PolicyEngine {

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_]+(/[A-Za-z0-9_]+)*");
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;
    private final DecisionLog decisions;

    /**
     * @param baseUrl the OPA server, e.g. {@code http://127.0.0.1:8181}
     * @param path the document that decides, e.g. {@code bulwark/allow} (segments of letters, digits, {@code _})
     * @param timeout for each decision (connect and response)
     * @param tls the client TLS context for an https {@code baseUrl} (null: the JDK default)
     */
    public OpaPolicyEngine(URI baseUrl, String path, Duration timeout, @Nullable SSLContext tls, MeterRegistry meters) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(path, "path");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme()) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("OPA url: " + baseUrl + " (expected: http(s)://host:port)");
        }
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (!PATH.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("OPA path: " + path + " (expected: a data document path like bulwark/allow)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("OPA timeout: " + timeout + " (expected: a positive duration)");
        }
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base + "/v1/data/" + trimmed);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
        this.decisions = new DecisionLog("opa", meters);
    }

    @Override
    public String name() {
        return "opa";
    }

    /** {@code <baseUrl>/v1/data/<path>}. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public PolicyDecision decide(PolicyRequest request) {
        long start = System.nanoTime();
        String decisionId = UUID.randomUUID().toString();
        PolicyDecision decision;
        try {
            HttpRequest post = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("input", input(request)))))
                    .build();
            HttpResponse<byte[]> response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
            decision = toDecision(decisionId, response);
        } catch (HttpTimeoutException e) {
            decision = error(decisionId, "opa: no answer within " + timeout);
        } catch (IOException e) {
            decision = error(decisionId, "opa: " + endpoint + " unreachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            decision = error(decisionId, "opa: interrupted");
        } catch (RuntimeException e) {
            decision = error(decisionId, "opa: " + e.getClass().getSimpleName());
        }
        return decisions.record(request, decision, start);
    }

    private static PolicyDecision toDecision(String decisionId, HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            return error(decisionId, "opa: status " + response.statusCode() + " (expected: 200)");
        }
        if (response.body().length > MAX_RESPONSE_BYTES) {
            return error(decisionId, "opa: response larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (JacksonException e) {
            return error(decisionId, "opa: response is not JSON");
        }
        if (body == null || !body.isObject()) {
            return error(decisionId, "opa: response is not a JSON object (expected: {\"result\":..})");
        }
        JsonNode result = body.get("result");
        boolean allowed = result != null && (result.isBoolean() && result.booleanValue()
                || result.isObject() && result.path("allow").isBoolean() && result.path("allow").booleanValue());
        return new PolicyDecision(decisionId, allowed ? PolicyDecision.Result.ALLOW : PolicyDecision.Result.DENY, List.of(),
                result == null ? List.of("opa: undefined document") : List.of());
    }

    private static PolicyDecision error(String decisionId, String reason) {
        return new PolicyDecision(decisionId, PolicyDecision.Result.ERROR, List.of(), List.of(reason));
    }

    /** The {@code input} document: the same facts the Cedar engine gets, in OPA's snake_case shape. */
    static Map<String, Object> input(PolicyRequest request) {
        Map<String, Object> principal = new LinkedHashMap<>();
        principal.put("sub", request.principal().id());
        principal.put("client_id", request.principal().clientId());
        principal.put("scopes", request.principal().scopes().stream().sorted().toList());
        principal.put("roles", request.principal().roles().stream().sorted().toList());
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("type", request.resource().type());
        resource.put("id", request.resource().id());
        if (request.resource().owner() != null) {
            resource.put("owner", request.resource().owner());
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("principal", principal);
        input.put("action", request.action());
        input.put("resource", resource);
        input.put("context", request.context());
        return input;
    }

    @Override
    public void close() {
        http.close();
    }
}
