package dev.bulwark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The attacks of the book's chapters 2 and 3, through the gateway of a system started as
 * {@code ./bulwark up} starts it. Each test names the threat; each asserts the status, the error
 * code, that nothing leaked, and where it applies, that nothing changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EdgeAttackSuite {

    static final String ORDER = """
            {"items":[{"itemCode":"IT0001","quantity":3}],"shippingAddress":"201, 1st Street, San Jose, CA"}""";

    LocalSystem system;

    abstract String database();

    @BeforeAll
    void startSystem() {
        system = LocalSystem.start(database());
    }

    @AfterAll
    void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    String peter() {
        return system.userToken("peter", "peter123", "orders:read orders:write");
    }

    String nuwan() {
        return system.userToken("nuwan", "nuwan123", "orders:read orders:write");
    }

    @Test
    void requestWithoutTokenIsRejected() {
        HttpResponse<String> response = system.get("/api/orders", null);
        assertInvalidToken(response);
    }

    @Test
    void malformedTokenIsRejected() {
        assertInvalidToken(system.get("/api/orders", "abc.def.ghi"));
        assertInvalidToken(system.get("/api/orders", "not-a-token-the-sts-issued"));
        assertInvalidToken(system.get("/api/orders", "e30.e30."));
    }

    @Test
    void tokenWithFlippedSignatureByteIsRejected() {
        String token = peter();
        int i = token.lastIndexOf('.') + 5;
        char flipped = token.charAt(i) == 'A' ? 'B' : 'A';
        String forged = token.substring(0, i) + flipped + token.substring(i + 1);
        assertInvalidToken(system.get("/api/orders", forged));
    }

    @Test
    void tokenSignedWithAlgNoneIsRejected() throws Exception {
        JWTClaimsSet claims = SignedJWT.parse(peter()).getJWTClaimsSet();
        String none = new PlainJWT(claims).serialize();
        assertInvalidToken(system.get("/api/orders", none));
        assertInvalidToken(system.postJson("/api/orders", none, ORDER));
    }

    @Test
    void tokenSignedWithHs256UsingTheStsPublicKeyIsRejected() throws Exception {
        SignedJWT real = SignedJWT.parse(peter());
        JWKSet jwks = JWKSet.parse(system.send(HttpRequest.newBuilder(system.sts("/oauth2/jwks")).build()).body());
        ECKey publicKey = (ECKey) jwks.getKeyByKeyId(real.getHeader().getKeyID());
        assertThat(publicKey).isNotNull();
        // the classic key-confusion attack: the public key (in each form a verifier might hold it) as HMAC secret
        List<byte[]> secrets = List.of(
                publicKey.toJSONString().getBytes(StandardCharsets.UTF_8),
                publicKey.toECPublicKey().getEncoded(),
                MessageDigest.getInstance("SHA-256").digest(publicKey.toECPublicKey().getEncoded()));
        for (byte[] secret : secrets) {
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                    .keyID(publicKey.getKeyID()).build(), real.getJWTClaimsSet());
            forged.sign(new MACSigner(secret.length >= 32 ? secret : MessageDigest.getInstance("SHA-256").digest(secret)));
            assertInvalidToken(system.get("/api/orders", forged.serialize()));
        }
    }

    @Test
    void expiredTokenIsRejected() throws Exception {
        String token = system.clientToken("e2e-shortlived", "e2e-shortlived-secret", "orders:read");
        assertThat(system.get("/api/orders", token).statusCode()).isEqualTo(200);
        Instant expiry = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(Instant.now()).isAfter(expiry);
            assertInvalidToken(system.get("/api/orders", token));
        });
    }

    @Test
    void tokenForAnotherAudienceIsRejected() throws Exception {
        String token = system.clientToken("e2e-otheraudience", "e2e-otheraudience-secret", "orders:read");
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getAudience()).doesNotContain("bulwark-api");
        assertInvalidToken(system.get("/api/orders", token));
    }

    @Test
    void tokenFromAnotherIssuerIsRejected() throws Exception {
        SignedJWT real = SignedJWT.parse(peter());
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID(real.getHeader().getKeyID()).generate();
        for (String issuer : List.of("https://attacker.example", real.getJWTClaimsSet().getIssuer())) {
            JWTClaimsSet claims = new JWTClaimsSet.Builder(real.getJWTClaimsSet()).issuer(issuer).build();
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(attacker.getKeyID()).build(), claims);
            forged.sign(new ECDSASigner(attacker));
            assertInvalidToken(system.get("/api/orders", forged.serialize()));
        }
    }

    @Test
    void readOnlyTokenCannotPlaceAnOrder() {
        String readOnly = system.userToken("peter", "peter123", "orders:read");
        int before = ordersOf(peter());

        HttpResponse<String> response = system.postJson("/api/orders", readOnly, ORDER);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Bearer").contains("error=\"insufficient_scope\""));
        assertNothingLeaked(response);
        assertThat(ordersOf(peter())).isEqualTo(before);
    }

    @Test
    void ownerPlacesAnOrderAndReadsIt() {
        String peter = peter();
        HttpResponse<String> placed = system.postJson("/api/orders", peter, ORDER);

        assertThat(placed.statusCode()).isEqualTo(201);
        String location = placed.headers().firstValue("Location").orElseThrow();
        String orderId = (String) LocalSystem.json(placed.body()).get("orderId");
        assertThat(location).endsWith("/api/orders/" + orderId);

        HttpResponse<String> read = system.get("/api/orders/" + orderId, peter);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(LocalSystem.json(read.body())).containsEntry("orderId", orderId);
        assertThat(system.get("/api/orders", peter).body()).contains(orderId);
    }

    @Test
    void orderOfAnotherCustomerIsNotFound() {
        String orderId = placeAsPeter();
        String nuwan = nuwan();

        HttpResponse<String> read = system.get("/api/orders/" + orderId, nuwan);
        String unknownId = UUID.randomUUID().toString();
        HttpResponse<String> unknown = system.get("/api/orders/" + unknownId, nuwan);

        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(unknown.statusCode()).isEqualTo(404);
        // the same answer as for an order that does not exist: nothing tells the two apart
        assertThat(read.body().replace(orderId, "ID")).isEqualTo(unknown.body().replace(unknownId, "ID"));
        assertThat(read.body()).doesNotContain("peter", "IT0001", "San Jose");
        assertThat(system.get("/api/orders", nuwan).body()).doesNotContain(orderId);
    }

    @Test
    void forgedUserContextHeadersAreNotBelieved() {
        String orderId = placeAsPeter();
        String nuwan = nuwan();
        String[] forged = {"X-User", "peter", "X-User-Id", "peter", "X-Forwarded-User", "peter",
                "X-Remote-User", "peter", "X-Authenticated-User", "peter", "X-User-Context", "peter",
                "X-Bulwark-User-Context", "peter"};

        assertThat(system.get("/api/orders/" + orderId, nuwan, forged).statusCode()).isEqualTo(404);
        assertInvalidToken(system.get("/api/orders/" + orderId, null, forged));
    }

    @Test
    void opaqueTokenWorksUntilItIsRevoked() {
        String opaque = system.clientToken("partnerapp", "partnerappsecret", "orders:read orders:write");
        assertThat(opaque).doesNotContain(".");
        HttpResponse<String> placed = system.postJson("/api/orders", opaque, ORDER);
        assertThat(placed.statusCode()).isEqualTo(201);

        HttpResponse<String> revoked = system.stsForm("/oauth2/revoke", "partnerapp", "partnerappsecret",
                Map.of("token", opaque, "token_type_hint", "access_token"));
        assertThat(revoked.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertInvalidToken(system.get("/api/orders", opaque)));
    }

    @Test
    void reusedRefreshTokenRevokesTheWholeFamily() {
        Map<String, Object> first = system.tokenResponse("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "password", "username", "peter", "password", "peter123", "scope", "orders:read");
        String refresh1 = (String) first.get("refresh_token");
        assertThat(refresh1).isNotBlank();
        Map<String, Object> second = system.tokenResponse("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "refresh_token", "refresh_token", refresh1);
        String refresh2 = (String) second.get("refresh_token");
        assertThat(refresh2).isNotEqualTo(refresh1);

        HttpResponse<String> reuse = system.stsForm("/oauth2/token", "orderprocessingapp", "orderprocessingappsecret",
                Map.of("grant_type", "refresh_token", "refresh_token", refresh1));
        HttpResponse<String> afterReuse = system.stsForm("/oauth2/token", "orderprocessingapp", "orderprocessingappsecret",
                Map.of("grant_type", "refresh_token", "refresh_token", refresh2));

        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(reuse.body()).contains("invalid_grant");
        assertThat(afterReuse.statusCode()).isEqualTo(400);
        assertThat(afterReuse.body()).contains("invalid_grant");
    }

    @Test
    void wrongClientSecretIsInvalidClient() {
        HttpResponse<String> response = system.stsForm("/oauth2/token", "orderprocessingapp", "wrong",
                Map.of("grant_type", "client_credentials"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("invalid_client");
        assertNothingLeaked(response);
    }

    @Test
    void orderServiceCannotBeReachedWithoutAClientCertificate() {
        String url = (String) system.component("order").get("url");
        HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(url + "/orders")).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> system.http().send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    String placeAsPeter() {
        HttpResponse<String> placed = system.postJson("/api/orders", peter(), ORDER);
        assertThat(placed.statusCode()).isEqualTo(201);
        return (String) LocalSystem.json(placed.body()).get("orderId");
    }

    int ordersOf(String token) {
        HttpResponse<String> list = system.get("/api/orders", token);
        assertThat(list.statusCode()).isEqualTo(200);
        return list.body().split("\"orderId\"", -1).length - 1;
    }

    static void assertInvalidToken(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Bearer").contains("error=\"invalid_token\""));
        assertNothingLeaked(response);
    }

    static void assertNothingLeaked(HttpResponse<String> response) {
        assertThat(response.body()).doesNotContainIgnoringCase("exception")
                .doesNotContain("at dev.bulwark", "at org.springframework", "SQL", "eyJ");
    }
}
