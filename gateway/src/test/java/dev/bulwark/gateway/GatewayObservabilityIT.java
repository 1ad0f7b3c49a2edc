package dev.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.gateway.support.EchoUpstream;
import dev.bulwark.gateway.support.FakeSts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What the gateway tells operators: the catalogue metrics on the management port after real requests
 * (route timer, scope denials by scope, introspection cache, JWKS refreshes) and the W3C trace context
 * it hands the upstream (a new trace, or the caller's continued).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayObservabilityIT {

    static final String ISSUER = "https://sts.test";
    static final String AUDIENCE = "bulwark-api";
    static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");

    static final FakeSts sts;
    static final EchoUpstream upstream;
    static final ECKey stsKey;
    static final Path dir;

    static {
        try {
            sts = new FakeSts();
            upstream = new EchoUpstream();
            stsKey = new ECKeyGenerator(Curve.P_256).keyID("sts-1").generate();
            sts.publish(stsKey);
            dir = Files.createTempDirectory("gateway-observability-it");
            Files.writeString(dir.resolve("secret"), "gateway-secret\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("context.jwk"), new ECKeyGenerator(Curve.P_256).keyID("ctx-1").generate()
                    .toJSONString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("bulwark.gateway.issuer", () -> ISSUER);
        registry.add("bulwark.gateway.audience", () -> AUDIENCE);
        registry.add("bulwark.gateway.jwk-set-uri", () -> sts.uri("/oauth2/jwks"));
        registry.add("bulwark.gateway.introspection-uri", () -> sts.uri("/oauth2/introspect"));
        registry.add("bulwark.gateway.introspection-client-secret-file", () -> dir.resolve("secret"));
        registry.add("bulwark.gateway.order-service-uri", upstream::uri);
        registry.add("bulwark.gateway.user-context.key-file", () -> dir.resolve("context.jwk"));
        registry.add("management.server.port", () -> "0");
    }

    @AfterAll
    static void stop() {
        sts.close();
        upstream.close();
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    WebTestClient client;
    final ListAppender<ILoggingEvent> spans = new ListAppender<>();
    final Logger traceLogger = (Logger) LoggerFactory.getLogger("bulwark.trace");

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(15)).build();
        // attached after the application started: Spring Boot's logging initialisation resets appenders
        spans.start();
        traceLogger.addAppender(spans);
    }

    @AfterEach
    void detach() {
        traceLogger.detachAppender(spans);
    }

    @Test
    void upstreamGetsATraceparentOfANewTrace() {
        client.get().uri("/api/orders/1").headers(h -> h.setBearerAuth(jwt("orders:read"))).exchange()
                .expectStatus().isOk();

        assertThat(upstream.last().header("traceparent")).singleElement()
                .satisfies(value -> assertThat(value).matches(TRACEPARENT));
    }

    @Test
    void callersTraceparentIsContinuedToTheUpstream() {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        client.get().uri("/api/orders/2").headers(h -> {
            h.setBearerAuth(jwt("orders:read"));
            h.set("traceparent", "00-" + traceId + "-b7ad6b7169203331-01");
        }).exchange().expectStatus().isOk();

        Matcher matcher = TRACEPARENT.matcher(upstream.last().header("traceparent").getFirst());
        assertThat(matcher.matches()).isTrue();
        assertThat(matcher.group(1)).isEqualTo(traceId);
        assertThat(matcher.group(2)).as("the gateway's own span, not the caller's").isNotEqualTo("b7ad6b7169203331");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> lines;
            synchronized (spans.list) {
                lines = spans.list.stream().map(ILoggingEvent::getFormattedMessage)
                        .filter(line -> line.contains(" trace_id=" + traceId + " ")).toList();
            }
            assertThat(lines).anyMatch(line -> line.startsWith("event=span service=bulwark-gateway ")
                    && line.contains(" parent_id=b7ad6b7169203331 ") && line.contains(" kind=server "));
            assertThat(lines).anyMatch(line -> line.contains(" kind=client "));
        });
    }

    @Test
    void catalogueMetricsAreOnTheManagementPort() {
        client.get().uri("/api/orders").headers(h -> h.setBearerAuth(jwt("orders:read"))).exchange().expectStatus().isOk();
        client.post().uri("/api/orders").headers(h -> h.setBearerAuth(jwt("orders:read"))).exchange().expectStatus().isForbidden();
        String opaque = "opaque-" + UUID.randomUUID();
        sts.introspectionResponse(opaque, "{\"active\":true,\"sub\":\"nuwan\",\"client_id\":\"partnerapp\","
                + "\"scope\":\"orders:read\",\"aud\":[\"" + AUDIENCE + "\"],\"iss\":\"" + ISSUER
                + "\",\"exp\":" + Instant.now().plusSeconds(600).getEpochSecond() + "}");
        client.get().uri("/api/orders").headers(h -> h.setBearerAuth(opaque)).exchange().expectStatus().isOk();
        client.get().uri("/api/orders").headers(h -> h.setBearerAuth(opaque)).exchange().expectStatus().isOk();

        String metrics = WebTestClient.bindToServer().baseUrl("http://localhost:" + managementPort).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(metrics)
                .containsPattern("spring_cloud_gateway_requests_seconds_count\\{[^}]*routeId=\"orders\"[^}]*status=\"OK\"")
                .contains("bulwark_gateway_scope_denials_total{route=\"orders\",scope=\"orders:write\"}")
                .containsPattern("bulwark_gateway_introspection_cache_total\\{result=\"hit\"} [1-9]")
                .containsPattern("bulwark_gateway_introspection_cache_total\\{result=\"miss\"} [1-9]")
                .containsPattern("bulwark_jwks_refreshes_total\\{result=\"ok\",source=\"gateway\"} [1-9]");
    }

    private static String jwt(String scope) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("peter")
                .claim("client_id", "orderprocessingapp").claim("scope", scope)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(stsKey.getKeyID()).build(), claims);
        try {
            jwt.sign(new ECDSASigner(stsKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
