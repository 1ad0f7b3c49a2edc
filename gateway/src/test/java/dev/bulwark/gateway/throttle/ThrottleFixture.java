package dev.bulwark.gateway.throttle;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.gateway.GatewayApplication;
import dev.bulwark.gateway.support.EchoUpstream;
import dev.bulwark.gateway.support.FakeSts;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Real gateways for the throttle ITs: a fake STS publishing the signing key, a counting upstream,
 * and gateways started as separate Spring applications on random ports (or as a process of their
 * own), each with its own throttle settings (so one test's buckets never touch another's).
 */
final class ThrottleFixture implements AutoCloseable {

    static final String ISSUER = "https://sts.test";
    static final String AUDIENCE = "bulwark-api";

    final FakeSts sts;
    final EchoUpstream upstream;
    final ECKey stsKey;
    final Path dir;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger homes = new AtomicInteger();

    ThrottleFixture() throws IOException, JOSEException {
        sts = new FakeSts();
        upstream = new EchoUpstream();
        stsKey = new ECKeyGenerator(Curve.P_256).keyID("sts-1").generate();
        sts.publish(stsKey);
        dir = Files.createTempDirectory("gateway-throttle-it");
        Files.writeString(dir.resolve("secret"), "gateway-secret\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("context.jwk"), new ECKeyGenerator(Curve.P_256).keyID("ctx-1").generate()
                .toJSONString(), StandardCharsets.UTF_8);
    }

    /** Starts a gateway with the base settings plus {@code throttle} ({@code bulwark.gateway.throttle.*} keys). */
    Gateway start(Map<String, Object> throttle) {
        Path home = dir.resolve("home-" + homes.incrementAndGet());
        String[] args = arguments(throttle, home, 0, 0);
        // each gateway its own Netty loops: with the global ones, closing one context stops the others
        ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class)
                .initializers(ctx -> ((GenericApplicationContext) ctx).registerBean(ReactorResourceFactory.class, () -> {
                    ReactorResourceFactory resources = new ReactorResourceFactory();
                    resources.setUseGlobalResources(false);
                    return resources;
                }))
                .run(args);
        return new Gateway(Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")),
                Integer.parseInt(context.getEnvironment().getRequiredProperty("local.management.port")), home, context::close);
    }

    /**
     * Starts a gateway in a JVM of its own (this test's class path, {@code java} of this JVM), as a second
     * replica is deployed: it shares nothing with this JVM but what the settings name (Redis). Waits until
     * its health endpoint is up; its output goes to {@code gateway-<n>.out} next to its home.
     */
    Gateway startProcess(Map<String, Object> throttle) throws IOException, InterruptedException {
        Path home = dir.resolve("home-" + homes.incrementAndGet());
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                GatewayApplication.class.getName()));
        command.addAll(List.of(arguments(throttle, home, port, managementPort)));
        Path out = dir.resolve(home.getFileName() + ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Gateway gateway = new Gateway(port, managementPort, home, () -> {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        });
        Instant deadline = Instant.now().plusSeconds(60);
        while (!gateway.healthy()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                gateway.close();
                throw new IllegalStateException("the gateway process did not start; its output: "
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            Thread.sleep(200);
        }
        return gateway;
    }

    private String[] arguments(Map<String, Object> throttle, Path home, int port, int managementPort) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bulwark.gateway.issuer", ISSUER);
        properties.put("bulwark.gateway.audience", AUDIENCE);
        properties.put("bulwark.gateway.jwk-set-uri", sts.uri("/oauth2/jwks").toString());
        properties.put("bulwark.gateway.introspection-uri", sts.uri("/oauth2/introspect").toString());
        properties.put("bulwark.gateway.introspection-client-secret-file", dir.resolve("secret").toString());
        properties.put("bulwark.gateway.route.uri", upstream.uri().toString());
        properties.put("bulwark.gateway.user-context.key-file", dir.resolve("context.jwk").toString());
        // this IT is about throttling: the policy stage (another package) keeps its own IT
        properties.put("bulwark.gateway.policy.engine", "none");
        properties.put("server.port", String.valueOf(port));
        properties.put("management.server.port", String.valueOf(managementPort));
        // each its own home: the audit trail is a hash chain one appender owns
        properties.put("bulwark.home", home.toString());
        throttle.forEach((key, value) -> properties.put("bulwark.gateway.throttle." + key, value));
        // as arguments: default properties would lose to application.yml (server.port 8443)
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String token(String clientId, String subject, Map<String, Object> extraClaims) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                .claim("client_id", clientId).claim("scope", "orders:read orders:write")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
        extraClaims.forEach(claims::claim);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(stsKey.getKeyID()).build(),
                    claims.build());
            jwt.sign(new ECDSASigner(stsKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        sts.close();
        upstream.close();
    }

    /** A gateway of this fixture, in this JVM or in a process of its own. */
    final class Gateway implements AutoCloseable {

        /** How a gateway is stopped. */
        interface Stop {
            void stop() throws Exception;
        }

        final int port;
        final int managementPort;
        final Path home;
        private final Stop stop;

        Gateway(int port, int managementPort, Path home, Stop stop) {
            this.port = port;
            this.managementPort = managementPort;
            this.home = home;
            this.stop = stop;
        }

        boolean healthy() {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                        + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** {@code headers}: name, value, name, value… */
        HttpResponse<String> send(String method, String path, String token, String... headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(15)).method(method, "POST".equals(method)
                            ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        HttpResponse<String> get(String token, String... headers) {
            return send("GET", "/api/orders", token, headers);
        }

        String metrics() {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                        + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try {
                stop.stop();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the gateway on port " + port, e);
            }
        }
    }
}
