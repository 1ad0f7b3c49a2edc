package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.bulwark.securitykit.pki.Pem;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.securitykit.tls.TestCa;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * RFC 8693 token exchange and the RFC 7523 JWT bearer grant against a real STS on TLS: workloads
 * authenticate with X.509-SVIDs ({@code tls_client_auth}); the gateway's user-context JWTs and a
 * partner issuer's assertions are signed with test keys whose public JWK sets are files.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.home=target/exchange-it-home",
        "bulwark.sts.issuer=https://sts.test",
        "spring.datasource.url=jdbc:h2:mem:sts-exchange-it;DB_CLOSE_DELAY=-1",
        "server.ssl.bundle=server",
        "server.ssl.client-auth=want",
        // order-service and the gateway trusted issuer come from application.yml
        "bulwark.sts.trusted-issuers.partner.issuer=https://partner.test",
        "bulwark.sts.trusted-issuers.partner.grants=jwt-bearer",
        "bulwark.sts.trusted-issuers.partner.audiences=https://sts.test",
        "bulwark.sts.trusted-issuers.partner.carried-claims=tenant",
        "bulwark.sts.clients.partner-order.authentication-method=tls_client_auth",
        "bulwark.sts.clients.partner-order.spiffe-id=spiffe://ecomm.local/partner-order",
        "bulwark.sts.clients.partner-order.grant-types=urn:ietf:params:oauth:grant-type:jwt-bearer",
        "bulwark.sts.clients.partner-order.token-exchange.targets.delivery.audience=delivery-service",
        "bulwark.sts.clients.partner-order.token-exchange.targets.delivery.scopes=delivery:write=delivery:write,delivery:read",
        // a second hop: exchanges tokens this STS issued for logistics-gateway
        "bulwark.sts.clients.relay.authentication-method=tls_client_auth",
        "bulwark.sts.clients.relay.spiffe-id=spiffe://ecomm.local/relay",
        "bulwark.sts.clients.relay.grant-types=urn:ietf:params:oauth:grant-type:token-exchange",
        "bulwark.sts.clients.relay.token-exchange.subject-audience=logistics-gateway",
        "bulwark.sts.clients.relay.token-exchange.targets.delivery.audience=delivery-service",
        "bulwark.sts.clients.relay.token-exchange.targets.delivery.scopes=delivery:write=delivery:write",
        "bulwark.sts.clients.audit-service.authentication-method=tls_client_auth",
        "bulwark.sts.clients.audit-service.spiffe-id=spiffe://ecomm.local/audit",
        "bulwark.sts.clients.audit-service.grant-types=client_credentials"})
class TokenExchangeIT {

    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    static final TestCa CA = TestCa.create("bulwark test workload root");
    static final Svid SERVER = CA.issue("sts");
    static final Svid ORDER = CA.issue("order");
    static final ECKey GATEWAY_KEY = key("gw-1");
    static final ECKey PARTNER_KEY = key("partner-1");
    static final ECKey ROGUE_KEY = key("gw-1");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        registry.add("spring.ssl.bundle.pem.server.keystore.certificate", () -> Pem.encode(SERVER.leaf()));
        registry.add("spring.ssl.bundle.pem.server.keystore.private-key", () -> Pem.encode(SERVER.privateKey()));
        registry.add("spring.ssl.bundle.pem.server.truststore.certificate", () -> Pem.encode(CA.root()));
        Path dir = Files.createTempDirectory("sts-exchange-it");
        Path gateway = Files.writeString(dir.resolve("gateway-context.pub.jwks"),
                new JWKSet(GATEWAY_KEY.toPublicJWK()).toString());
        Path partner = Files.writeString(dir.resolve("partner.pub.jwks"), new JWKSet(PARTNER_KEY.toPublicJWK()).toString());
        registry.add("bulwark.sts.trusted-issuers.gateway.jwk-set-file", gateway::toString);
        registry.add("bulwark.sts.trusted-issuers.partner.jwk-set-file", partner::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    // ---- token exchange

    @Test
    void orderServiceExchangesGatewayUserContextForNarrowedInventoryToken() throws Exception {
        StsHttp order = as(ORDER);
        StsHttp.Response r = exchange(order, "order-service", userContext(Map.of()), "inventory-service", null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("issued_token_type")).isEqualTo(ACCESS_TOKEN_TYPE);
        assertThat(r.text("token_type")).isEqualTo("Bearer");
        assertThat(r.body().get("expires_in").asLong()).isBetween(290L, 300L);
        // the user holds only orders:write, so inventory:read (needs orders:read) is not granted
        assertThat(r.text("scope")).isEqualTo("inventory:write");
        SignedJWT jwt = order.verifiedJwt(r.text("access_token"));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("https://sts.test");
        assertThat(claims.getSubject()).isEqualTo("peter");
        assertThat(jwt.getPayload().toJSONObject().get("aud")).as("aud is one string").isEqualTo("inventory-service");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("order-service");
        assertThat(claims.getStringClaim("scope")).isEqualTo("inventory:write");
        assertThat(claims.getJSONObjectClaim("act")).containsExactly(Map.entry("sub", "spiffe://ecomm.local/order"));
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
        assertThat(meters.find("bulwark.sts.token.exchanges").tags("client", "order-service", "audience",
                "inventory-service", "result", "issued").counter()).isNotNull();
    }

    @Test
    void requestedScopeNarrowsTheGrant() throws Exception {
        StsHttp order = as(ORDER);
        StsHttp.Response r = exchange(order, "order-service",
                userContext(Map.of("scope", "orders:read orders:write")), "inventory-service", "inventory:read");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("scope")).isEqualTo("inventory:read");
    }

    @Test
    void subjectWithActGetsNestedAct() throws Exception {
        StsHttp order = as(ORDER);
        String subject = userContext(Map.of("act", Map.of("sub", "spiffe://ecomm.local/gateway")));

        StsHttp.Response r = exchange(order, "order-service", subject, "inventory-service", null);

        assertThat(r.status()).isEqualTo(200);
        Map<String, Object> act = order.verifiedJwt(r.text("access_token")).getJWTClaimsSet().getJSONObjectClaim("act");
        assertThat(act).containsEntry("sub", "spiffe://ecomm.local/order")
                .containsEntry("act", Map.of("sub", "spiffe://ecomm.local/gateway"));
    }

    @Test
    void subjectWhoseActorIsAlreadyTheCallerKeepsItsAct() throws Exception {
        StsHttp order = as(ORDER);
        Map<String, Object> act = Map.of("sub", "spiffe://ecomm.local/order",
                "act", Map.of("sub", "spiffe://ecomm.local/gateway"));

        StsHttp.Response r = exchange(order, "order-service", userContext(Map.of("act", act)), "inventory-service", null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(order.verifiedJwt(r.text("access_token")).getJWTClaimsSet().getJSONObjectClaim("act")).isEqualTo(act);
    }

    @Test
    void tokenIssuedByThisStsCanBeExchangedAgainByTheNextHop() throws Exception {
        StsHttp order = as(ORDER);
        StsHttp.Response first = exchange(order, "order-service", userContext(Map.of()), "logistics-gateway", null);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.text("scope")).isEqualTo("delivery:write");

        StsHttp relay = as(CA.issue("relay"));
        StsHttp.Response second = exchange(relay, "relay", first.text("access_token"), "delivery-service", null);

        assertThat(second.status()).isEqualTo(200);
        JWTClaimsSet claims = relay.verifiedJwt(second.text("access_token")).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("peter");
        assertThat(claims.getAudience()).containsExactly("delivery-service");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("relay");
        assertThat(claims.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", "spiffe://ecomm.local/relay",
                "act", Map.of("sub", "spiffe://ecomm.local/order")));
    }

    @Test
    void audienceOutsideTheClientsTargetsIsInvalidTarget() {
        assertError(exchange(as(ORDER), "order-service", userContext(Map.of()), "payments-service", null),
                400, "invalid_target");
    }

    @Test
    void clientWithoutTheGrantIsUnauthorizedClient() {
        assertError(exchange(as(CA.issue("audit")), "audit-service", userContext(Map.of()), "inventory-service", null),
                400, "unauthorized_client");
    }

    @Test
    void exchangeWithoutClientCertificateIsInvalidClient() {
        assertError(exchange(withoutCertificate(), "order-service", userContext(Map.of()), "inventory-service", null),
                401, "invalid_client");
    }

    @Test
    void subjectTokenForAnotherAudienceIsInvalidGrant() {
        String forInventory = sign(GATEWAY_KEY, claims("bulwark-gateway", "inventory-service", Instant.now().plusSeconds(60))
                .claim("scope", "orders:write").build());
        assertError(exchange(as(ORDER), "order-service", forInventory, "inventory-service", null), 400, "invalid_grant");
    }

    @Test
    void expiredSubjectTokenIsInvalidGrant() {
        String expired = sign(GATEWAY_KEY, claims("bulwark-gateway", "order-service", Instant.now().minusSeconds(120))
                .claim("scope", "orders:write").build());
        assertError(exchange(as(ORDER), "order-service", expired, "inventory-service", null), 400, "invalid_grant");
    }

    @Test
    void subjectTokenWithBadSignatureIsInvalidGrant() {
        // same kid and issuer as the gateway's key, but another key
        String forged = sign(ROGUE_KEY, claims("bulwark-gateway", "order-service", Instant.now().plusSeconds(60))
                .claim("scope", "orders:write").build());
        assertError(exchange(as(ORDER), "order-service", forged, "inventory-service", null), 400, "invalid_grant");
    }

    @Test
    void subjectTokenFromUntrustedIssuerIsInvalidGrant() {
        String untrusted = sign(GATEWAY_KEY, claims("https://evil.test", "order-service", Instant.now().plusSeconds(60))
                .claim("scope", "orders:write").build());
        assertError(exchange(as(ORDER), "order-service", untrusted, "inventory-service", null), 400, "invalid_grant");
    }

    @Test
    void unsignedSubjectTokenIsInvalidGrant() {
        String none = new com.nimbusds.jwt.PlainJWT(claims("bulwark-gateway", "order-service",
                Instant.now().plusSeconds(60)).claim("scope", "orders:write").build()).serialize();
        assertError(exchange(as(ORDER), "order-service", none, "inventory-service", null), 400, "invalid_grant");
    }

    @Test
    void subjectWithoutTheRequiredScopeIsInvalidScope() {
        String noScope = sign(GATEWAY_KEY, claims("bulwark-gateway", "order-service", Instant.now().plusSeconds(60)).build());
        assertError(exchange(as(ORDER), "order-service", noScope, "inventory-service", null), 400, "invalid_scope");
    }

    @Test
    void actorTokenAndMissingAudienceAreInvalidRequest() {
        StsHttp order = as(ORDER);
        assertError(order.post("/oauth2/token", null, null, "grant_type", TOKEN_EXCHANGE, "client_id", "order-service",
                "subject_token", userContext(Map.of()), "subject_token_type", JWT_TYPE), 400, "invalid_request");
        assertError(order.post("/oauth2/token", null, null, "grant_type", TOKEN_EXCHANGE, "client_id", "order-service",
                "subject_token", userContext(Map.of()), "subject_token_type", JWT_TYPE, "audience", "inventory-service",
                "actor_token", userContext(Map.of()), "actor_token_type", JWT_TYPE), 400, "invalid_request");
    }

    // ---- JWT bearer

    @Test
    void jwtBearerFromTrustedIssuerIsAccepted() throws Exception {
        StsHttp partner = as(CA.issue("partner-order"));
        String assertion = sign(PARTNER_KEY, claims("https://partner.test", "https://sts.test", Instant.now().plusSeconds(60))
                .claim("scope", "delivery:write").claim("tenant", "acme").build());

        StsHttp.Response r = partner.post("/oauth2/token", null, null, "grant_type", JWT_BEARER,
                "client_id", "partner-order", "assertion", assertion);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("scope")).isEqualTo("delivery:write delivery:read");
        assertThat(r.text("issued_token_type")).isNull();
        JWTClaimsSet claims = partner.verifiedJwt(r.text("access_token")).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("peter");
        assertThat(claims.getAudience()).containsExactly("delivery-service");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("partner-order");
        assertThat(claims.getStringClaim("tenant")).as("carried claim").isEqualTo("acme");
        assertThat(claims.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", "spiffe://ecomm.local/partner-order"));
    }

    @Test
    void jwtBearerFromUntrustedIssuerIsInvalidGrant() {
        // the gateway is trusted, but only for token exchange
        String assertion = sign(GATEWAY_KEY, claims("bulwark-gateway", "https://sts.test", Instant.now().plusSeconds(60))
                .claim("scope", "delivery:write").build());
        assertError(bearer(assertion), 400, "invalid_grant");
    }

    @Test
    void jwtBearerWithWrongAudienceIsInvalidGrant() {
        String assertion = sign(PARTNER_KEY, claims("https://partner.test", "https://other-sts.test",
                Instant.now().plusSeconds(60)).claim("scope", "delivery:write").build());
        assertError(bearer(assertion), 400, "invalid_grant");
    }

    @Test
    void jwtBearerLivingLongerThanAnHourIsInvalidGrant() {
        String assertion = sign(PARTNER_KEY, claims("https://partner.test", "https://sts.test",
                Instant.now().plus(Duration.ofHours(2))).claim("scope", "delivery:write").build());
        assertError(bearer(assertion), 400, "invalid_grant");
    }

    @Test
    void replayedJwtBearerAssertionIsInvalidGrant() {
        String assertion = sign(PARTNER_KEY, claims("https://partner.test", "https://sts.test", Instant.now().plusSeconds(60))
                .claim("scope", "delivery:write").build());
        assertThat(bearer(assertion).status()).isEqualTo(200);

        assertError(bearer(assertion), 400, "invalid_grant");
    }

    @Test
    void discoveryListsTheDelegationGrants() {
        for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            StsHttp.Response r = withoutCertificate().get(path);
            assertThat(r.body().get("grant_types_supported").toString()).as(path)
                    .contains(TOKEN_EXCHANGE, JWT_BEARER, "password", "client_credentials");
        }
    }

    // ---- helpers

    private StsHttp.Response bearer(String assertion) {
        return as(CA.issue("partner-order")).post("/oauth2/token", null, null, "grant_type", JWT_BEARER,
                "client_id", "partner-order", "assertion", assertion, "audience", "delivery-service");
    }

    private static StsHttp.Response exchange(StsHttp http, String clientId, String subject, String audience, String scope) {
        List<String> params = new java.util.ArrayList<>(List.of("grant_type", TOKEN_EXCHANGE, "client_id", clientId,
                "subject_token", subject, "subject_token_type", JWT_TYPE, "audience", audience));
        if (scope != null) {
            params.addAll(List.of("scope", scope));
        }
        return http.post("/oauth2/token", null, null, params.toArray(String[]::new));
    }

    /** A gateway user-context JWT for peter holding orders:write, plus {@code extra} claims. */
    private static String userContext(Map<String, Object> extra) {
        JWTClaimsSet.Builder b = claims("bulwark-gateway", "order-service", Instant.now().plusSeconds(60))
                .claim("scope", "orders:write");
        extra.forEach(b::claim);
        return sign(GATEWAY_KEY, b.build());
    }

    private static JWTClaimsSet.Builder claims(String issuer, String audience, Instant expires) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject("peter").audience(audience)
                .issueTime(Date.from(now.minusSeconds(1))).expirationTime(Date.from(expires))
                .jwtID(UUID.randomUUID().toString());
    }

    private static String sign(ECKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey key(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertError(StsHttp.Response r, int status, String error) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.text("error")).isEqualTo(error);
        assertThat(r.text("access_token")).isNull();
        assertThat(r.raw()).doesNotContain("Exception", "at org.", "eyJ");
    }

    private StsHttp as(Svid svid) {
        SSLContext context = SpiffeTls.clientContext(MutableSvidSupplier.of(svid, CA.bundle()),
                SpiffeIdPolicy.oneOf("spiffe://ecomm.local/sts"), HandshakeFailureListener.NONE);
        return https(context);
    }

    private StsHttp withoutCertificate() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {SpiffeTls.trustManager(MutableSvidSupplier.of(ORDER, CA.bundle()),
                    SpiffeIdPolicy.oneOf("spiffe://ecomm.local/sts"), HandshakeFailureListener.NONE)}, new SecureRandom());
            return https(context);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private StsHttp https(SSLContext context) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(context).sslParameters(SpiffeTls.clientParameters(context)).build();
        return new StsHttp(client, "https://localhost:" + port);
    }
}
