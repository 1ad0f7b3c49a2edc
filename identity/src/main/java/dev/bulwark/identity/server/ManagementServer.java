package dev.bulwark.identity.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plain HTTP on 127.0.0.1 for the launcher and for monitoring, with Spring Boot's paths so that every
 * component is probed alike: {@code GET /actuator/health} → {@code {"status":"UP"}},
 * {@code GET /actuator/prometheus} → the metrics. Nothing here is secret or changes state.
 */
final class ManagementServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private ManagementServer(HttpServer server, IdentityMetrics metrics) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", Exchanges.handle(exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            switch (path) {
                case "/actuator/health" -> {
                    Exchanges.requireMethod(exchange, "GET");
                    Exchanges.sendJson(exchange, 200, Map.of("status", "UP"));
                }
                case "/actuator/prometheus" -> {
                    Exchanges.requireMethod(exchange, "GET");
                    Exchanges.send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
                }
                default -> throw new ApiException(404, "not_found", "path: " + path
                        + " (expected: /actuator/health or /actuator/prometheus)");
            }
        }));
    }

    static ManagementServer start(int port, IdentityMetrics metrics) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            ManagementServer management = new ManagementServer(HttpServer.create(address, 0), metrics);
            management.server.start();
            return management;
        } catch (IOException e) {
            throw new UncheckedIOException("management port: cannot listen on " + address, e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
