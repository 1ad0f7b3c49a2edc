package dev.bulwark.identity.revocation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Serves revocation data over plain HTTP (the data is signed; RFC 6960 Appendix A, RFC 5280 §4.2.1.13):
 * <ul>
 *   <li>{@code POST /} or {@code POST /ocsp} with {@code application/ocsp-request}: an OCSP response;</li>
 *   <li>{@code GET /<base64 request>} or {@code GET /ocsp/<base64 request>}: the same, for caches;</li>
 *   <li>{@code GET /crl}: the CRL of the active intermediate; {@code GET /crl/<key id>}: that intermediate's.</li>
 * </ul>
 */
public final class RevocationHttpServer implements AutoCloseable {

    static final int MAX_REQUEST_BYTES = 16 * 1024;
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{40}");

    private final HttpServer server;
    private final ExecutorService executor;
    private final OcspResponder ocsp;
    private final CrlPublisher crls;

    private RevocationHttpServer(HttpServer server, OcspResponder ocsp, CrlPublisher crls) {
        this.server = server;
        this.ocsp = ocsp;
        this.crls = crls;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Binds {@code address} (port 0 for any free port) and starts serving. */
    public static RevocationHttpServer start(InetSocketAddress address, OcspResponder ocsp, CrlPublisher crls) {
        Objects.requireNonNull(address, "address");
        try {
            RevocationHttpServer server = new RevocationHttpServer(HttpServer.create(address, 0),
                    Objects.requireNonNull(ocsp, "ocsp"), Objects.requireNonNull(crls, "crls"));
            server.server.start();
            return server;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot listen on " + address, e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://<host>:<port>}, the OCSP URL; the CRL base URL is this plus {@code /crl}. */
    public URI uri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/crl") || path.startsWith("/crl/")) {
                if (!method.equals("GET")) {
                    send(exchange, 405, "text/plain", bytes("method not allowed"));
                    return;
                }
                serveCrl(exchange, path);
            } else if (method.equals("POST") && (path.equals("/") || path.equals("/ocsp"))) {
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/ocsp-request")) {
                    send(exchange, 415, "text/plain", bytes("expected application/ocsp-request"));
                    return;
                }
                Optional<byte[]> body = readLimited(exchange.getRequestBody());
                if (body.isEmpty()) {
                    send(exchange, 413, "text/plain", bytes("request too large"));
                    return;
                }
                send(exchange, 200, "application/ocsp-response", ocsp.respond(body.get()));
            } else if (method.equals("GET")) {
                String encoded = path.startsWith("/ocsp/") ? path.substring("/ocsp/".length()) : path.substring(1);
                if (encoded.isEmpty() || encoded.length() > MAX_REQUEST_BYTES) {
                    send(exchange, 404, "text/plain", bytes("not found"));
                    return;
                }
                byte[] der;
                try {
                    der = Base64.getDecoder().decode(URLDecoder.decode(encoded, StandardCharsets.US_ASCII));
                } catch (IllegalArgumentException e) {
                    der = new byte[0];
                }
                send(exchange, 200, "application/ocsp-response", ocsp.respond(der));
            } else {
                send(exchange, 405, "text/plain", bytes("method not allowed"));
            }
        }
    }

    private void serveCrl(HttpExchange exchange, String path) throws IOException {
        Optional<X509CRL> crl;
        if (path.equals("/crl")) {
            crl = Optional.of(crls.activeCrl());
        } else {
            String keyId = path.substring("/crl/".length());
            crl = KEY_ID.matcher(keyId).matches() ? crls.crl(keyId) : Optional.empty();
        }
        if (crl.isEmpty()) {
            send(exchange, 404, "text/plain", bytes("not found"));
            return;
        }
        try {
            send(exchange, 200, "application/pkix-crl", crl.get().getEncoded());
        } catch (CRLException e) {
            throw new IllegalStateException("cannot encode the CRL", e);
        }
    }

    private static Optional<byte[]> readLimited(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        return body.length > MAX_REQUEST_BYTES ? Optional.empty() : Optional.of(body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
