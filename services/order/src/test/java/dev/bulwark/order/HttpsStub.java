package dev.bulwark.order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.securitykit.tls.TestCa;

/**
 * A real in-process HTTPS server standing in for a downstream service: it serves an SVID for {@code spiffeId}
 * issued by the test CA, needs a client certificate of one allowed SPIFFE ID, records every request and answers
 * with what the test set.
 */
final class HttpsStub implements AutoCloseable {

    /** One request as received. */
    record Request(String method, String path, String authorization, String body) {
    }

    /** What to answer. */
    @FunctionalInterface
    interface Responder {
        Reply reply(Request request);
    }

    /** An answer. */
    record Reply(int status, String contentType, String body) {

        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body);
        }
    }

    private final HttpsServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Responder responder = request -> Reply.json(500, "{}");

    private HttpsStub(HttpsServer server) {
        this.server = server;
    }

    /**
     * A stub serving {@code spiffeId} (any trust domain; the CA's root is its own and every federated bundle)
     * that lets only {@code allowedClient} in.
     */
    static HttpsStub start(TestCa ca, String spiffeId, String allowedClient) {
        Instant now = Instant.now();
        Svid svid = ca.issue(List.of(spiffeId), now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)), false);
        MutableSvidSupplier svids = MutableSvidSupplier.of(svid, ca.bundle(),
                Map.of("ecomm.local", ca.bundle(), "logistics.local", ca.bundle()));
        SSLContext context = SpiffeTls.serverContext(svids, SpiffeIdPolicy.oneOf(allowedClient), HandshakeFailureListener.NONE);
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters params) {
                    params.setSSLParameters(SpiffeTls.serverParameters(context));
                }
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            HttpsStub stub = new HttpsStub(server);
            server.createContext("/", stub::handle);
            server.start();
            return stub;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    void respond(Responder responder) {
        this.responder = responder;
    }

    List<Request> requests() {
        return requests;
    }

    URI uri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    authorization == null ? "" : authorization, body);
            requests.add(request);
            Reply reply = responder.reply(request);
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
