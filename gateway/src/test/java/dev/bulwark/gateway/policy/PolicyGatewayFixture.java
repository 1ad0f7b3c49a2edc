package dev.bulwark.gateway.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.function.Consumer;

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
 * Real gateways for the policy ITs: a fake STS publishing the signing key, a counting upstream, a
 * policy directory holding a copy of the book policies, and gateways started as separate Spring
 * applications on random ports with their own {@code bulwark.gateway.policy.*} settings.
 */
final class PolicyGatewayFixture implements AutoCloseable {

    static final String ISSUER = "https://sts.test";
    static final String AUDIENCE = "bulwark-api";

    final FakeSts sts;
    final EchoUpstream upstream;
    final ECKey stsKey;
    final Path dir;
    final Path policyDir;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PolicyGatewayFixture() throws IOException, JOSEException {
        sts = new FakeSts();
        upstream = new EchoUpstream();
        stsKey = new ECKeyGenerator(Curve.P_256).keyID("sts-1").generate();
        sts.publish(stsKey);
        dir = Files.createTempDirectory("gateway-policy-it");
        Files.writeString(dir.resolve("secret"), "gateway-secret\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("context.jwk"), new ECKeyGenerator(Curve.P_256).keyID("ctx-1").generate()
                .toJSONString(), StandardCharsets.UTF_8);
        policyDir = Files.createDirectories(dir.resolve("policy"));
        for (String name : new String[] {"policies.cedar", "schema.cedarschema", "entities.json"}) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("dev/bulwark/policy/default/" + name)) {
                Files.write(policyDir.resolve(name), in.readAllBytes());
            }
        }
    }

    /** Starts a gateway with the base settings plus {@code policy} ({@code bulwark.gateway.policy.*} keys). */
    Gateway start(Map<String, Object> policy, String... moreArgs) {
        return start(policy, context -> { }, moreArgs);
    }

    Gateway start(Map<String, Object> policy, Consumer<GenericApplicationContext> beans, String... moreArgs) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bulwark.gateway.issuer", ISSUER);
        properties.put("bulwark.gateway.audience", AUDIENCE);
        properties.put("bulwark.gateway.jwk-set-uri", sts.uri("/oauth2/jwks").toString());
        properties.put("bulwark.gateway.introspection-uri", sts.uri("/oauth2/introspect").toString());
        properties.put("bulwark.gateway.introspection-client-secret-file", dir.resolve("secret").toString());
        properties.put("bulwark.gateway.route.uri", upstream.uri().toString());
        properties.put("bulwark.gateway.user-context.key-file", dir.resolve("context.jwk").toString());
        properties.put("bulwark.gateway.throttle.enabled", "false");
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        properties.put("bulwark.home", dir.resolve("home").toString());
        policy.forEach((key, value) -> properties.put("bulwark.gateway.policy." + key, value));
        // as arguments: default properties would lose to application.yml (server.port 8443)
        String[] args = java.util.stream.Stream.concat(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()),
                java.util.Arrays.stream(moreArgs)).toArray(String[]::new);
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
        return new Gateway(context);
    }

    /** A token for {@code subject} via {@code clientId} with {@code scope} and extra claims (e.g. {@code roles}). */
    String token(String clientId, String subject, String scope, Map<String, Object> extraClaims) {
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

    String token(String subject, String scope) {
        return token("orderprocessingapp", subject, scope, Map.of());
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

        Gateway(ConfigurableApplicationContext context) {
            this.context = context;
            this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
            this.managementPort = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.management.port"));
        }

        HttpResponse<String> send(String method, String path, String token) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(15)).method(method, "POST".equals(method)
                            ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
                    .header("Content-Type", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return send(request.build());
        }

        String metrics() {
            return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus")).build())
                    .body();
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
            context.close();
        }
    }
}
