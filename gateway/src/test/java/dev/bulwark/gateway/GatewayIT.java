package dev.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.gateway.support.EchoUpstream;
import dev.bulwark.gateway.support.FakeSts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The gateway against a real in-process STS (JWKS + introspection) and a real upstream. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayIT {

    static final String ISSUER = "https://sts.test";
    static final String AUDIENCE = "bulwark-api";
    static final String SECRET = "gateway-secret";

    static final FakeSts sts;
    static final EchoUpstream upstream;
    static final ECKey stsKey = ecKey("sts-1");
    static final RSAKey stsRsaKey;
    static final ECKey contextKey = ecKey("ctx-1");
    static final Path dir;

    static {
        try {
            sts = new FakeSts();
            upstream = new EchoUpstream();
            stsRsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            sts.publish(stsKey);
            sts.publish(stsRsaKey);
            dir = Files.createTempDirectory("gateway-it");
            Files.writeString(dir.resolve("secret"), SECRET + "\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("context.jwk"), contextKey.toJSONString(), StandardCharsets.UTF_8);
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
        registry.add("bulwark.gateway.introspection-cache-ttl", () -> "PT1S");
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

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(15)).build();
        sts.down(false);
    }

    // --- 401: no or bad token ------------------------------------------------------------------

    @Test
    void requestWithoutTokenIsRejectedWithInvalidToken() {
        int before = upstream.hits();
        client.get().uri("/api/orders").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        assertThat(upstream.hits()).isEqualTo(before);
    }

    @Test
    void malformedTokenIsRejected() {
        assertRejected("not-base64.not-base64.not-base64");
        assertRejected("a.b.c.d");
        unauthorized(client.get().uri("/api/orders").header(HttpHeaders.AUTHORIZATION, "Bearer !!!"));
    }

    @Test
    void tokenWithFlippedSignatureByteIsRejected() {
        String token = jwt(JWSAlgorithm.ES256, stsKey, claims -> { });
        int dot = token.lastIndexOf('.');
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        signature[5] ^= 0x01;
        assertRejected(token.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
    }

    @Test
    void tokenSignedWithAlgNoneIsRejected() {
        assertRejected(new PlainJWT(validClaims().build()).serialize());
    }

    @Test
    void tokenSignedWithHs256UsingThePublicKeyAsSecretIsRejected() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("sts-1").build(),
                validClaims().build());
        jwt.sign(new MACSigner(stsKey.toECPublicKey().getEncoded()));
        assertRejected(jwt.serialize());
    }

    @Test
    void tokenSignedWithRs256ByAPublishedKeyIsRejectedBecauseOnlyEs256IsAllowed() {
        assertRejected(jwt(JWSAlgorithm.RS256, stsRsaKey, claims -> { }));
    }

    @Test
    void expiredTokenIsRejected() {
        assertRejected(jwt(JWSAlgorithm.ES256, stsKey, claims -> claims
                .issueTime(Date.from(Instant.now().minusSeconds(600)))
                .notBeforeTime(Date.from(Instant.now().minusSeconds(600)))
                .expirationTime(Date.from(Instant.now().minusSeconds(120)))));
    }

    @Test
    void tokenNotYetValidIsRejected() {
        assertRejected(jwt(JWSAlgorithm.ES256, stsKey, claims -> claims
                .notBeforeTime(Date.from(Instant.now().plusSeconds(300)))));
    }

    @Test
    void tokenFromAnotherIssuerIsRejected() {
        assertRejected(jwt(JWSAlgorithm.ES256, stsKey, claims -> claims.issuer("https://evil.test")));
    }

    @Test
    void tokenForAnotherAudienceIsRejected() {
        assertRejected(jwt(JWSAlgorithm.ES256, stsKey, claims -> claims.audience("another-api")));
    }

    @Test
    void tokenSignedByAnUnpublishedKeyIsRejected() {
        assertRejected(jwt(JWSAlgorithm.ES256, ecKey("sts-1"), claims -> { }));
    }

    // --- key rotation ---------------------------------------------------------------------------

    @Test
    void tokenWithNewKidIsAcceptedAfterTheJwkSetIsFetchedAgain() {
        okGet(jwt(JWSAlgorithm.ES256, stsKey, claims -> { }));
        ECKey rotated = ecKey("sts-2-" + UUID.randomUUID());
        sts.publish(rotated);
        int fetches = sts.jwksFetches();

        String token = jwt(JWSAlgorithm.ES256, rotated, claims -> { });

        // re-fetches are rate-limited (one per 5 s), and another test may just have used one
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> okGet(token));
        assertThat(sts.jwksFetches()).isGreaterThan(fetches);
    }

    // --- 403: scopes ----------------------------------------------------------------------------

    @Test
    void readOnlyTokenCannotCreateAnOrder() {
        int before = upstream.hits();
        String token = jwt(JWSAlgorithm.ES256, stsKey, claims -> claims.claim("scope", "orders:read"));
        client.post().uri("/api/orders").headers(h -> h.setBearerAuth(token)).bodyValue("{}").exchange()
                .expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer error=\"insufficient_scope\", scope=\"orders:write\"");
        assertThat(upstream.hits()).isEqualTo(before);
    }

    @Test
    void methodTheRouteDoesNotServeIsForbidden() {
        int before = upstream.hits();
        String token = jwt(JWSAlgorithm.ES256, stsKey, claims -> { });
        client.method(HttpMethod.PUT).uri("/api/orders/1").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
        assertThat(upstream.hits()).isEqualTo(before);
    }

    // --- 200: identity upstream -----------------------------------------------------------------

    @Test
    void validTokenReachesUpstreamWithUserContextAndNoForgedHeaders() throws Exception {
        String token = jwt(JWSAlgorithm.ES256, stsKey, claims -> { });

        EntityExchangeResult<String> result = client.get().uri("/api/orders/42")
                .headers(h -> {
                    h.setBearerAuth(token);
                    h.add("X-User", "admin");
                    h.add("X-Forwarded-User", "admin");
                    h.add("X-Bulwark-Role", "admin");
                })
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().doesNotExist("Server")
                .expectHeader().doesNotExist("X-Powered-By")
                .expectBody(String.class).returnResult();
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.CACHE_CONTROL)).contains("no-store");

        EchoUpstream.Seen seen = upstream.last();
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.path()).isEqualTo("/orders/42");
        assertThat(seen.header("X-User")).isEmpty();
        assertThat(seen.header("X-Forwarded-User")).isEmpty();
        assertThat(seen.header("X-Bulwark-Role")).isEmpty();
        assertThat(seen.headers().values().stream().flatMap(List::stream)).noneMatch(v -> v.contains(token));
        assertThat(seen.header("Authorization")).hasSize(1);
        String authorization = seen.header("Authorization").get(0);
        assertThat(authorization).startsWith("Bearer ");

        SignedJWT context = SignedJWT.parse(authorization.substring("Bearer ".length()));
        assertThat(context.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(context.getHeader().getKeyID()).isEqualTo("ctx-1");
        assertThat(context.verify(new ECDSAVerifier(contextKey.toPublicJWK()))).isTrue();
        JWTClaimsSet claims = context.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("bulwark-gateway");
        assertThat(claims.getAudience()).containsExactly("order-service");
        assertThat(claims.getSubject()).isEqualTo("peter");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("orderprocessingapp");
        assertThat(claims.getStringClaim("scope")).isEqualTo("orders:read orders:write");
        assertThat(claims.getExpirationTime().toInstant()).isBefore(Instant.now().plusSeconds(61));
        assertThat(claims.getJWTID()).isNotBlank();
    }

    @Test
    void postWithWriteScopeReachesUpstreamAtOrders() {
        String token = jwt(JWSAlgorithm.ES256, stsKey, claims -> { });
        client.post().uri("/api/orders").headers(h -> h.setBearerAuth(token)).bodyValue("{}").exchange()
                .expectStatus().isOk();
        assertThat(upstream.last().method()).isEqualTo("POST");
        assertThat(upstream.last().path()).isEqualTo("/orders");
    }

    @Test
    void unroutedPathNeverReachesUpstream() {
        int before = upstream.hits();
        String token = jwt(JWSAlgorithm.ES256, stsKey, claims -> { });
        client.get().uri("/admin").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isNotFound();
        client.get().uri("/orders/1").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isNotFound();
        client.get().uri("/api/ordersx").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isNotFound();
        client.get().uri("/admin").exchange().expectStatus().isUnauthorized();
        assertThat(upstream.hits()).isEqualTo(before);
    }

    @Test
    void pathTraversalOutOfTheOrderRouteNeverReachesUpstream() {
        int before = upstream.hits();
        String token = jwt(JWSAlgorithm.ES256, stsKey, claims -> { });
        for (String path : List.of("/api/orders/%2e%2e/admin", "/api/orders/..%2Fadmin", "/api/orders/%2e%2e%2f%2e%2e/x",
                "/api/orders/;/../../admin")) {
            EntityExchangeResult<byte[]> result = client.get().uri(URI.create("http://localhost:" + port + path))
                    .headers(h -> h.setBearerAuth(token)).exchange().expectBody().returnResult();
            assertThat(result.getStatus().is4xxClientError()).as(path).isTrue();
        }
        assertThat(upstream.hits()).isEqualTo(before);
    }

    // --- opaque tokens --------------------------------------------------------------------------

    @Test
    void opaqueTokenIsIntrospectedOnceWithinTtlAndRejectedOnceRevoked() throws Exception {
        String token = "opaque-" + UUID.randomUUID();
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        sts.introspectionResponse(token, "{\"active\":true,\"sub\":\"nuwan\",\"client_id\":\"partnerapp\","
                + "\"scope\":\"orders:read orders:write\",\"aud\":[\"" + AUDIENCE + "\"],\"iss\":\"" + ISSUER
                + "\",\"exp\":" + exp + "}");
        int before = sts.introspections();

        okGet(token);
        okGet(token);

        assertThat(sts.introspections() - before).isEqualTo(1);
        assertThat(sts.lastIntrospectionAuthorization()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString(("bulwark-gateway:" + SECRET).getBytes(StandardCharsets.UTF_8)));
        SignedJWT context = SignedJWT.parse(upstream.last().header("Authorization").get(0).substring(7));
        assertThat(context.getJWTClaimsSet().getSubject()).isEqualTo("nuwan");
        assertThat(context.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo("partnerapp");

        sts.introspectionResponse(token, "{\"active\":false}");
        Thread.sleep(1200);
        assertRejected(token);
    }

    @Test
    void activeOpaqueTokenForAnotherAudienceOrIssuerIsRejected() {
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        String otherAudience = "opaque-aud-" + UUID.randomUUID();
        sts.introspectionResponse(otherAudience, "{\"active\":true,\"sub\":\"nuwan\",\"scope\":\"orders:read\","
                + "\"aud\":[\"partner-api\"],\"iss\":\"" + ISSUER + "\",\"exp\":" + exp + "}");
        String otherIssuer = "opaque-iss-" + UUID.randomUUID();
        sts.introspectionResponse(otherIssuer, "{\"active\":true,\"sub\":\"nuwan\",\"scope\":\"orders:read\","
                + "\"aud\":\"" + AUDIENCE + "\",\"iss\":\"https://evil.test\",\"exp\":" + exp + "}");

        assertRejected(otherAudience);
        assertRejected(otherIssuer);
    }

    @Test
    void unknownOpaqueTokenIsRejected() {
        assertRejected("opaque-unknown-" + UUID.randomUUID());
    }

    @Test
    void opaqueTokenIsRefusedWhenIntrospectionIsDown() {
        sts.down(true);
        int before = upstream.hits();
        client.get().uri("/api/orders").headers(h -> h.setBearerAuth("opaque-" + UUID.randomUUID())).exchange()
                .expectStatus().isEqualTo(503);
        assertThat(upstream.hits()).isEqualTo(before);
    }

    @Test
    void tokenWithUnknownKidIsRefusedWhenJwksIsDown() {
        sts.down(true);
        int before = upstream.hits();
        String token = jwt(JWSAlgorithm.ES256, ecKey("unknown-" + UUID.randomUUID()), claims -> { });
        EntityExchangeResult<byte[]> result = client.get().uri("/api/orders").headers(h -> h.setBearerAuth(token))
                .exchange().expectBody().returnResult();
        assertThat(result.getStatus().value()).isIn(401, 503);
        assertThat(upstream.hits()).isEqualTo(before);
    }

    // --- management -----------------------------------------------------------------------------

    @Test
    void managementPortServesHealthAndMetricsWithoutToken() {
        client.get().uri("/api/orders").exchange().expectStatus().isUnauthorized();
        String readOnly = jwt(JWSAlgorithm.ES256, stsKey, claims -> claims.claim("scope", "orders:read"));
        client.post().uri("/api/orders").headers(h -> h.setBearerAuth(readOnly)).exchange().expectStatus().isForbidden();
        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://localhost:" + managementPort).build();
        management.get().uri("/actuator/health").exchange().expectStatus().isOk();
        String metrics = management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("bulwark_gateway_auth_failures_total{reason=\"missing\"")
                .contains("bulwark_gateway_scope_denials_total{route=\"orders\"");
        client.get().uri("/actuator/health").exchange().expectStatus().isUnauthorized();
    }

    // --- helpers --------------------------------------------------------------------------------

    private void okGet(String token) {
        client.get().uri("/api/orders").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();
    }

    private void assertRejected(String token) {
        unauthorized(client.get().uri("/api/orders").headers(h -> h.setBearerAuth(token)));
    }

    private void unauthorized(WebTestClient.RequestHeadersSpec<?> request) {
        int before = upstream.hits();
        String body = request.exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).doesNotContain("Exception").doesNotContain("dev.bulwark").doesNotContain("nimbus");
        assertThat(upstream.hits()).isEqualTo(before);
    }

    private static JWTClaimsSet.Builder validClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject("peter")
                .claim("client_id", "orderprocessingapp")
                .claim("scope", "orders:read orders:write")
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString());
    }

    private static String jwt(JWSAlgorithm alg, com.nimbusds.jose.jwk.JWK key, Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder claims = validClaims();
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims.build());
        try {
            JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static ECKey ecKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
