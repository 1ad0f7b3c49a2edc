package dev.bulwark.gateway.throttle;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
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
 * and gateways started as separate Spring applications on random ports, each with its own
 * throttle settings (so one test's buckets never touch another's).
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
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        // each its own home: the audit trail is a hash chain one appender owns
        Path home = dir.resolve("home-" + homes.incrementAndGet());
        properties.put("bulwark.home", home.toString());
        throttle.forEach((key, value) -> properties.put("bulwark.gateway.throttle." + key, value));
        // as arguments: default properties would lose to application.yml (server.port 8443)
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        // each gateway its own Netty loops: with the global ones, closing one context stops the others
        ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class)
                .initializers(ctx -> ((GenericApplicationContext) ctx).registerBean(ReactorResourceFactory.class, () -> {
                    ReactorResourceFactory resources = new ReactorResourceFactory();
                    resources.setUseGlobalResources(false);
                    return resources;
                }))
                .run(args);
        return new Gateway(context, home);
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

    final class Gateway implements AutoCloseable {

        final ConfigurableApplicationContext context;
        final int port;
        final int managementPort;
        final Path home;

        Gateway(ConfigurableApplicationContext context, Path home) {
            this.context = context;
            this.home = home;
            this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
            this.managementPort = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.management.port"));
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
            context.close();
        }
    }
}
