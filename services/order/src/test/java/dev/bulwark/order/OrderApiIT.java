package dev.bulwark.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.order.order.CustomerId;
import dev.bulwark.order.order.OrderService;
import dev.bulwark.order.order.PlaceOrderRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The API on the default embedded H2 database, with every attack the service must refuse. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "management.server.port=0", "management.server.address=127.0.0.1" })
@ExtendWith(OutputCaptureExtension.class)
class OrderApiIT extends AbstractOrderApiIT {

    private static final String GATEWAY_PUBLIC_JWKS = read(GATEWAY.jwkSetFile());

    @Autowired
    OrderService orders;

    @Autowired
    JdbcClient jdbc;

    @LocalManagementPort
    int managementPort;

    // --- audit log

    @Test
    void everyAuthenticatedRequestIsAuditedWithItsStatusAndCaller(CapturedOutput output) {
        String peter = customer();
        place(peter);
        api.post("/orders", ORDER, reader(peter)); // 403: read-only scope

        assertThat(output.getOut()).containsPattern("bulwark.audit .*event=access method=POST path=/orders status=201 sub="
                + peter + " actors=- client_id=\\S+ pattern=user_context");
        assertThat(output.getOut()).containsPattern("event=access method=POST path=/orders status=403 sub=" + peter);
        assertThat(output.getOut()).doesNotContain("eyJ");
    }

    // --- Location through the gateway

    @Test
    void locationHonoursTheGatewaysForwardedPrefix() {
        Map<String, String> headers = new HashMap<>(writer(customer()));
        headers.put("X-Forwarded-Prefix", "/api");
        ApiClient.Response created = api.post("/orders", ORDER, headers);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/orders/" + created.json().get("orderId").asString());
    }

    @Test
    void forwardedPrefixCannotPointTheLocationElsewhere() {
        for (String prefix : List.of("//evil.example", "https://evil.example", "/../x", "/a%2F..")) {
            Map<String, String> headers = new HashMap<>(writer(customer()));
            headers.put("X-Forwarded-Prefix", prefix);
            ApiClient.Response created = api.post("/orders", ORDER, headers);

            assertThat(created.header("Location")).as(prefix)
                .isEqualTo("/orders/" + created.json().get("orderId").asString());
        }
    }

    @Test
    void malformedOrderIdIsNotFound() {
        for (String id : List.of("not-a-uuid", "1-1-1-1-1", "' or '1'='1")) {
            ApiClient.Response response = api.get("/orders/" + id.replace(" ", "%20").replace("'", "%27"),
                    reader(customer()));
            assertThat(response.status()).as(id).isEqualTo(404);
            assertNothingLeaks(response);
        }
    }

    // --- authentication

    @Test
    void requestWithoutTokenIsUnauthorized() {
        ApiClient.Response response = api.get("/orders", Map.of());

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertNothingLeaks(response);
    }

    @Test
    void tokenSignedByAnotherKeyIsRejected() {
        String forged = TestTokens.sign(TestTokens.newKey(), GATEWAY.claims(customer(), "orders:read").build());
        assertInvalidToken(forged);
    }

    @Test
    void tokenWithAnotherAudienceIsRejected() {
        assertInvalidToken(GATEWAY.sign(GATEWAY.claims(customer(), "orders:read").audience("bulwark-api").build()));
    }

    @Test
    void tokenFromAnotherIssuerIsRejected() {
        assertInvalidToken(GATEWAY.sign(GATEWAY.claims(customer(), "orders:read").issuer("https://localhost:9443").build()));
    }

    @Test
    void expiredTokenIsRejected() {
        Instant past = Instant.now().minusSeconds(600);
        assertInvalidToken(GATEWAY.sign(GATEWAY.claims(customer(), "orders:read")
            .issueTime(Date.from(past))
            .notBeforeTime(Date.from(past))
            .expirationTime(Date.from(past.plusSeconds(60)))
            .build()));
    }

    @Test
    void tokenNotYetValidIsRejected() {
        Instant future = Instant.now().plusSeconds(600);
        assertInvalidToken(GATEWAY.sign(GATEWAY.claims(customer(), "orders:read")
            .notBeforeTime(Date.from(future))
            .expirationTime(Date.from(future.plusSeconds(60)))
            .build()));
    }

    @Test
    void tokenWithoutExpiryIsRejected() {
        assertInvalidToken(GATEWAY.sign(GATEWAY.claims(customer(), "orders:read").expirationTime(null).build()));
    }

    @Test
    void tokenWithAlgNoneIsRejected() {
        JWTClaimsSet claims = GATEWAY.claims(customer(), "orders:read").build();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String unsigned = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
        assertInvalidToken(unsigned);
    }

    @Test
    void tokenSignedWithHmacOverThePublicKeyIsRejected() throws Exception {
        // algorithm confusion: HS256 keyed with the published public key
        byte[] secret = GATEWAY_PUBLIC_JWKS.getBytes(StandardCharsets.UTF_8);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), GATEWAY.claims(customer(), "orders:read").build());
        jwt.sign(new MACSigner(secret));
        assertInvalidToken(jwt.serialize());
    }

    @Test
    void tokenInTheQueryStringIsNotAccepted() {
        String token = GATEWAY.token(customer(), "orders:read");
        ApiClient.Response response = api.get("/orders?access_token=" + token, Map.of());

        assertThat(response.status()).isIn(400, 401);
    }

    @Test
    void garbageTokenIsRejected() {
        assertInvalidToken("not.a.jwt");
    }

    // --- authorization

    @Test
    void readOnlyScopeCannotPlaceAnOrder() {
        String peter = customer();
        ApiClient.Response response = api.post("/orders", ORDER, reader(peter));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"")
            .contains("scope=\"orders:write\"");
        assertNothingLeaks(response);
        assertThat(api.get("/orders", reader(peter)).json()).isEmpty();
    }

    @Test
    void writeOnlyScopeCannotRead() {
        ApiClient.Response response = api.get("/orders", as(customer(), "orders:write"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"")
            .contains("scope=\"orders:read\"");
    }

    @Test
    void identityHeadersDoNotChangeWhoTheCallerIs() {
        String peter = customer();
        String nuwan = customer();
        String nuwansOrder = place(nuwan).json().get("orderId").asString();
        Map<String, String> spoofed = new HashMap<>(writer(peter));
        for (String header : List.of("X-User", "X-User-Id", "X-Forwarded-User", "X-Remote-User",
                "X-Authenticated-User", "X-Bulwark-User")) {
            spoofed.put(header, nuwan);
        }

        ApiClient.Response created = api.post("/orders", ORDER, spoofed);
        assertThat(created.json().get("customer").asString()).isEqualTo(peter);
        assertThat(api.get("/orders/" + nuwansOrder, spoofed).status()).isEqualTo(404);
        assertThat(api.get("/orders", spoofed).json().valueStream().map(o -> o.get("customer").asString()))
            .containsOnly(peter);
        assertThat(api.get("/orders", Map.of("X-User", nuwan)).status()).isEqualTo(401);
    }

    // --- input

    static Stream<Arguments> invalidOrders() {
        String item = "{\"itemCode\":\"IT0001\",\"quantity\":1}";
        String many = String.join(",", java.util.Collections.nCopies(101, item));
        return Stream.of(
                Arguments.of("{\"items\":[],\"shippingAddress\":\"a\"}", "items"),
                Arguments.of("{\"shippingAddress\":\"a\"}", "items"),
                Arguments.of("{\"items\":[" + many + "],\"shippingAddress\":\"a\"}", "items"),
                Arguments.of("{\"items\":[{\"itemCode\":\"IT0001\",\"quantity\":0}],\"shippingAddress\":\"a\"}",
                        "items[0].quantity"),
                Arguments.of("{\"items\":[{\"itemCode\":\"IT0001\",\"quantity\":1001}],\"shippingAddress\":\"a\"}",
                        "items[0].quantity"),
                Arguments.of("{\"items\":[{\"itemCode\":\"IT0001\"}],\"shippingAddress\":\"a\"}",
                        "items[0].quantity"),
                Arguments.of("{\"items\":[" + item + ",{\"itemCode\":\"it-1\",\"quantity\":1}],\"shippingAddress\":\"a\"}",
                        "items[1].itemCode"),
                Arguments.of("{\"items\":[{\"itemCode\":\"" + "A".repeat(33) + "\",\"quantity\":1}],\"shippingAddress\":\"a\"}",
                        "items[0].itemCode"),
                Arguments.of("{\"items\":[" + item + "],\"shippingAddress\":\"  \"}", "shippingAddress"),
                Arguments.of("{\"items\":[" + item + "]}", "shippingAddress"),
                Arguments.of("{\"items\":[" + item + "],\"shippingAddress\":\"" + "a".repeat(501) + "\"}",
                        "shippingAddress"),
                Arguments.of("{\"items\":[{\"itemCode\":\"IT0001\",\"quantity\":\"three\"}],\"shippingAddress\":\"a\"}",
                        "items[0].quantity"));
    }

    @ParameterizedTest
    @MethodSource("invalidOrders")
    void invalidOrderIsRefusedNamingTheField(String body, String field) {
        String peter = customer();
        ApiClient.Response response = api.post("/orders", body, writer(peter));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.json().get("errors").valueStream().map(e -> e.get("field").asString())).contains(field);
        assertNothingLeaks(response);
        assertThat(api.get("/orders", reader(peter)).json()).isEmpty();
    }

    @Test
    void fieldsTheServerOwnsCannotBeSet() {
        String peter = customer();
        for (String field : List.of("customer", "orderId", "status", "createdAt")) {
            String body = ORDER.replaceFirst("\\{", "{\"" + field + "\":\"x\",");
            ApiClient.Response response = api.post("/orders", body, writer(peter));

            assertThat(response.status()).as(field).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
            assertNothingLeaks(response);
        }
        String nested = ORDER.replace("\"quantity\":3", "\"quantity\":3,\"price\":0");
        assertThat(api.post("/orders", nested, writer(peter)).json().get("errors").get(0).get("field").asString())
            .isEqualTo("items[0].price");
        assertThat(api.get("/orders", reader(peter)).json()).isEmpty();
    }

    @Test
    void malformedJsonIsRefused() {
        for (String body : List.of("{\"items\":[", "not json", "", ORDER + " {}")) {
            ApiClient.Response response = api.post("/orders", body, writer(customer()));
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertNothingLeaks(response);
        }
    }

    @Test
    void otherContentTypeIsRefused() {
        Map<String, String> headers = new HashMap<>(writer(customer()));
        headers.put("Content-Type", "text/plain");
        ApiClient.Response response = api.post("/orders", ORDER, headers);

        assertThat(response.status()).isEqualTo(415);
        assertNothingLeaks(response);
    }

    @Test
    void oversizedBodyIsRefusedBeforeParsing() {
        String peter = customer();
        String huge = ORDER.replace("Colombo 03", "x".repeat(20_000));

        ApiClient.Response declared = api.post("/orders", huge, writer(peter));
        ApiClient.Response chunked = api.postChunked("/orders", huge.getBytes(StandardCharsets.UTF_8), writer(peter));

        assertThat(declared.status()).isEqualTo(413);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(declared.header("Content-Type")).isEqualTo("application/problem+json");
        assertNothingLeaks(declared);
        assertThat(api.get("/orders", reader(peter)).json()).isEmpty();
    }

    @Test
    void chunkedBodyUnderTheLimitIsAccepted() {
        ApiClient.Response response = api.postChunked("/orders", ORDER.getBytes(StandardCharsets.UTF_8),
                writer(customer()));
        assertThat(response.status()).isEqualTo(201);
    }

    @Test
    void placingAnOrderIsAllOrNothing() {
        String peter = customer();
        // bypasses Bean Validation so the database refuses the second line after the order row was written
        var request = new PlaceOrderRequest(List.of(new PlaceOrderRequest.Item("IT0001", 1),
                new PlaceOrderRequest.Item("IT0002", 5000)), "a");

        assertThatThrownBy(() -> orders.place(new CustomerId(peter), GATEWAY.token(peter, "orders:write"), request))
            .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(jdbc.sql("select count(*) from orders where customer = ?").param(peter).query(Long.class).single())
            .isZero();
    }

    @Test
    void startUpWithoutTheJwkSetFileFailsNamingTheProperty() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(OrderApplication.class)
            .properties("server.port=0", "spring.datasource.url=jdbc:h2:mem:startup", "spring.jmx.enabled=false")
            .run()
            .close())
            .rootCause()
            .hasMessageContaining("bulwark.order.user-context.jwk-set-file is not set");
    }

    // --- management

    @Test
    void healthAndPrometheusAreOnTheManagementPort() {
        ApiClient management = new ApiClient(managementPort);
        ApiClient.Response health = management.get("/actuator/health", Map.of());
        ApiClient.Response prometheus = management.get("/actuator/prometheus", Map.of());

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
        assertThat(api.get("/actuator/health", Map.of()).status()).isIn(401, 404);
        assertThat(management.get("/actuator/env", Map.of()).status()).isIn(401, 404);
    }

    private void assertInvalidToken(String token) {
        ApiClient.Response response = api.get("/orders", Map.of("Authorization", "Bearer " + token));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
        assertNothingLeaks(response);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static void assertNothingLeaks(ApiClient.Response response) {
        assertThat(response.body()).doesNotContainIgnoringCase("exception")
            .doesNotContain("java.")
            .doesNotContain("springframework")
            .doesNotContain("tools.jackson")
            .doesNotContainIgnoringCase("sql")
            .doesNotContain("\tat ")
            .doesNotContain("trace");
        if (!response.body().isEmpty()) {
            JsonNode json = response.json();
            assertThat(json.has("status")).isTrue();
        }
    }

    @Test
    void unknownPathIsNotServed() {
        assertThat(api.get("/orders/" + UUID.randomUUID() + "/items", reader(customer())).status()).isEqualTo(404);
    }
}
