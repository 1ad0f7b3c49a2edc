package dev.bulwark.identity.server;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP edge shared by the admin and management servers: bodies in, JSON out, errors rendered once. */
final class Exchanges {

    private static final Logger log = LoggerFactory.getLogger(Exchanges.class);

    /** A request handler that may throw {@link ApiException}. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private Exchanges() {
    }

    /**
     * Wraps {@code handler}: an {@link ApiException} becomes its status with a JSON error, anything else a
     * 500 whose details go to the log only.
     */
    static HttpHandler handle(Handler handler) {
        return exchange -> {
            try (exchange) {
                try {
                    handler.handle(exchange);
                } catch (ApiException e) {
                    sendError(exchange, e.status(), e.error(), e.getMessage());
                } catch (RuntimeException e) {
                    log.warn("event=api.failed method={} path={} reason={}", exchange.getRequestMethod(),
                            exchange.getRequestURI().getRawPath(), e.toString());
                    sendError(exchange, 500, "internal_error", "the request failed; see the identity process log");
                }
            }
        };
    }

    /** Refuses a method other than {@code allowed} with 405. */
    static void requireMethod(HttpExchange exchange, String allowed) {
        if (!exchange.getRequestMethod().equals(allowed)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            throw new ApiException(405, "method_not_allowed",
                    "method: " + exchange.getRequestMethod() + " (expected: " + allowed + ")");
        }
    }

    /** The request body, refused with 413 past {@code limit} bytes. */
    static byte[] body(HttpExchange exchange, int limit) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw new ApiException(413, "payload_too_large", "body: more than " + limit + " bytes (expected: at most " + limit + ")");
            }
            return body;
        }
    }

    static void sendJson(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        send(exchange, status, "application/json", JSONObjectUtils.toJSONString(body));
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
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

    private static void sendError(HttpExchange exchange, int status, String error, String message) throws IOException {
        sendJson(exchange, status, Map.of("error", error, "message", message));
    }
}
