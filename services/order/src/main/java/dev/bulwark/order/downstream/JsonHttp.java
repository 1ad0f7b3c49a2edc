package dev.bulwark.order.downstream;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import dev.bulwark.securitykit.trace.TraceHeaders;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON over HTTPS to one downstream service with a bearer token: one {@link HttpClient} per destination,
 * made from a TLS context that presents this workload's SVID and accepts only the destination's SPIFFE ID
 * (no host name check: the SPIFFE ID is checked). Connection failures and timeouts become
 * {@link DownstreamException}s naming the component.
 */
public final class JsonHttp implements AutoCloseable {

    /** Largest response body read; anything larger is a failure. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final String component;
    private final HttpClient http;
    private final JsonMapper json;
    private final Duration timeout;

    public JsonHttp(String component, SSLContext tls, SSLParameters parameters, JsonMapper json, Duration timeout) {
        this.component = Objects.requireNonNull(component, "component");
        this.json = Objects.requireNonNull(json, "json");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder()
            .sslContext(tls)
            .sslParameters(parameters)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout)
            .build();
    }

    /** The component name used in errors and logs, e.g. {@code inventory}. */
    public String component() {
        return component;
    }

    /**
     * Sends {@code body} (JSON, or none) with {@code Authorization: Bearer <token>} and returns the status and
     * the parsed body ({@code null} when empty or not JSON).
     *
     * @throws DownstreamException when no response arrives (refused handshake, connection, timeout)
     */
    public Response send(String step, String method, URI uri, String bearerToken, @Nullable Object body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
        // W3C traceparent of the current span: the callee's spans join this request's trace
        HttpRequest.Builder request = TraceHeaders.addTo(HttpRequest.newBuilder(uri))
            .timeout(timeout)
            .header("Authorization", "Bearer " + bearerToken)
            .header("Accept", "application/json, application/problem+json")
            .method(method, publisher);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        catch (HttpConnectTimeoutException ex) {
            throw new DownstreamException(component, step, "connect_timeout", ex);
        }
        catch (HttpTimeoutException ex) {
            throw new DownstreamException(component, step, "timeout", ex);
        }
        catch (IOException ex) {
            throw new DownstreamException(component, step, "io", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new DownstreamException(component, step, "interrupted", ex);
        }
        byte[] bytes = response.body();
        if (bytes.length > MAX_RESPONSE_BYTES) {
            throw new DownstreamException(component, step, "response_too_large");
        }
        return new Response(response.statusCode(), parse(bytes));
    }

    /** {@code base} (its path kept, a trailing slash dropped) followed by {@code path}. */
    public static URI resolve(URI base, String path) {
        String root = base.toString();
        return URI.create((root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + path);
    }

    private @Nullable JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return json.readTree(bytes);
        }
        catch (JacksonException ex) {
            return null;
        }
    }

    @Override
    public void close() {
        http.close();
    }

    /**
     * A response.
     *
     * @param status the HTTP status
     * @param body the parsed JSON body; {@code null} when empty or not JSON
     */
    public record Response(int status, @Nullable JsonNode body) {

        /** The text of {@code field} of a JSON object body, or empty when absent or not text. */
        public java.util.Optional<String> text(String field) {
            if (body == null || !body.isObject()) {
                return java.util.Optional.empty();
            }
            JsonNode value = body.get(field);
            return value != null && value.isString() && !value.asString().isBlank()
                    ? java.util.Optional.of(value.asString()) : java.util.Optional.empty();
        }
    }
}
