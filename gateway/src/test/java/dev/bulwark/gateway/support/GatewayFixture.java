package dev.bulwark.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

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
import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Real gateways for the stage ITs (policy, throttle): a fake STS publishing the signing key, a counting
 * upstream, and gateways started as separate Spring applications on random ports, or as a process of
 * their own, each with its own settings and home (so one test's state never touches another's).
 */
public class GatewayFixture implements AutoCloseable {

    public static final String ISSUER = "https://sts.test";
    public static final String AUDIENCE = "bulwark-api";

    public final FakeSts sts;
    public final EchoUpstream upstream;
    public final ECKey stsKey;
    public final Path dir;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger homes = new AtomicInteger();

    public GatewayFixture(String name) throws IOException, JOSEException {
        sts = new FakeSts();
        upstream = new EchoUpstream();
        stsKey = new ECKeyGenerator(Curve.P_256).keyID("sts-1").generate();
        sts.publish(stsKey);
        dir = Files.createTempDirectory(name);
        Files.writeString(dir.resolve("secret"), "gateway-secret\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("context.jwk"), new ECKeyGenerator(Curve.P_256).keyID("ctx-1").generate()
                .toJSONString(), StandardCharsets.UTF_8);
    }

    /**
     * Starts a gateway in this JVM with the base settings plus {@code properties} (full keys), extra
     * {@code beans}, and {@code moreArgs} as further command-line arguments.
     */
    public Gateway startWith(Map<String, Object> properties, Consumer<GenericApplicationContext> beans, String... moreArgs) {
        Path home = newHome();
        String[] args = Stream.concat(Arrays.stream(arguments(properties, home, 0, 0)), Arrays.stream(moreArgs))
                .toArray(String[]::new);
        // each gateway its own Netty loops: with the global ones, closing one context stops the others
        ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class)
                .initializers(ctx -> {
                    ((GenericApplicationContext) ctx).registerBean(ReactorResourceFactory.class, () -> {
                        ReactorResourceFactory resources = new ReactorResourceFactory();
                        resources.setUseGlobalResources(false);
                        return resources;
                    });
                    beans.accept((GenericApplicationContext) ctx);
                })
                .run(args);
        return new Gateway(Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")),
                Integer.parseInt(context.getEnvironment().getRequiredProperty("local.management.port")), home, context::close);
    }

    /**
     * Starts a gateway in a JVM of its own (this test's class path, {@code java} of this JVM), as a second
     * replica is deployed: it shares nothing with this JVM but what the settings name (e.g. Redis). Waits
     * until its health endpoint is up; its output goes to {@code home-<n>.out}.
     */
    public Gateway startProcessWith(Map<String, Object> properties) throws IOException, InterruptedException {
        Path home = newHome();
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                GatewayApplication.class.getName()));
        command.addAll(List.of(arguments(properties, home, port, managementPort)));
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

    /** A token of the fake STS for {@code subject} via {@code clientId} with {@code scope} and extra claims. */
    public String token(String clientId, String subject, String scope, Map<String, Object> extraClaims) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                .claim("client_id", clientId).claim("scope", scope)
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

    private Path newHome() {
        // each its own home: the audit trail is a hash chain one appender owns
        return dir.resolve("home-" + homes.incrementAndGet());
    }

    private String[] arguments(Map<String, Object> extra, Path home, int port, int managementPort) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bulwark.gateway.issuer", ISSUER);
        properties.put("bulwark.gateway.audience", AUDIENCE);
        properties.put("bulwark.gateway.jwk-set-uri", sts.uri("/oauth2/jwks").toString());
        properties.put("bulwark.gateway.introspection-uri", sts.uri("/oauth2/introspect").toString());
        properties.put("bulwark.gateway.introspection-client-secret-file", dir.resolve("secret").toString());
        properties.put("bulwark.gateway.route.uri", upstream.uri().toString());
        properties.put("bulwark.gateway.user-context.key-file", dir.resolve("context.jwk").toString());
        properties.put("server.port", String.valueOf(port));
        properties.put("management.server.port", String.valueOf(managementPort));
        properties.put("bulwark.home", home.toString());
        properties.putAll(extra);
        // as arguments: default properties would lose to application.yml (server.port 8443)
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A gateway of this fixture, in this JVM or in a process of its own. */
    public final class Gateway implements AutoCloseable {

        /** How a gateway is stopped. */
        interface Stop {
            void stop() throws Exception;
        }

        public final int port;
        public final int managementPort;
        public final Path home;
        private final Stop stop;

        Gateway(int port, int managementPort, Path home, Stop stop) {
            this.port = port;
            this.managementPort = managementPort;
            this.home = home;
            this.stop = stop;
        }

        /** {@code headers}: name, value, name, value… ; no {@code Authorization} when {@code token} is null. */
        public HttpResponse<String> send(String method, String path, @Nullable String token, String... headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(15)).method(method, "POST".equals(method)
                            ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
                    .header("Content-Type", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            return send(request.build());
        }

        public HttpResponse<String> get(String token, String... headers) {
            return send("GET", "/api/orders", token, headers);
        }

        public String metrics() {
            return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                    .build()).body();
        }

        public boolean healthy() {
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

        private HttpResponse<String> send(HttpRequest request) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
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
