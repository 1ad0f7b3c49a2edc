package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.test.context.ActiveProfiles;
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
import com.sun.net.httpserver.HttpServer;

import dev.bulwark.securitykit.pki.Pem;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.securitykit.tls.TestCa;
import dev.bulwark.sts.password.UserDirectory;

/**
 * The STS started with {@code --spring.profiles.active=logistics}: none of the ecomm clients or users
 * exist; the ecomm STS (here a stub serving its JWK set over HTTP, fetched on first use) is trusted
 * for the ecomm order service's RFC 7523 assertions and the logistics gateway's token exchanges.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.home=target/logistics-it-home",
        "bulwark.sts.issuer=https://logistics-sts.test",
        "spring.datasource.url=jdbc:h2:mem:sts-logistics-it;DB_CLOSE_DELAY=-1",
        "server.ssl.bundle=server",
        "server.ssl.client-auth=want"})
@ActiveProfiles("logistics")
class LogisticsProfileIT {

    static final TestCa CA = TestCa.create("bulwark test workload root");
    static final Svid SERVER = CA.issue("sts");
    static final ECKey ECOMM_KEY = key();
    static final AtomicInteger JWKS_FETCHES = new AtomicInteger();
    static final HttpServer ECOMM_STS = ecommJwks();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.ssl.bundle.pem.server.keystore.certificate", () -> Pem.encode(SERVER.leaf()));
        registry.add("spring.ssl.bundle.pem.server.keystore.private-key", () -> Pem.encode(SERVER.privateKey()));
        registry.add("spring.ssl.bundle.pem.server.truststore.certificate", () -> Pem.encode(CA.root()));
        registry.add("bulwark.sts.ecomm-issuer", () -> "http://localhost:" + ECOMM_STS.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        ECOMM_STS.stop(0);
    }

    @LocalServerPort
    int port;

    @Autowired
    RegisteredClientRepository clients;

    @Autowired
    UserDirectory users;

    @Test
    void ecommDemoClientsAndUsersDoNotExist() {
        for (String ecomm : List.of("orderprocessingapp", "orderprocessingservice", "partnerapp", "bulwark-gateway",
                "order-service")) {
            assertThat(clients.findByClientId(ecomm)).as(ecomm).isNull();
        }
        assertThat(clients.findByClientId("ecomm-order")).isNotNull();
        assertThat(clients.findByClientId("logistics-gateway")).isNotNull();
        assertThat(users.authenticate("peter", "peter123")).isFalse();
    }

    @Test
    void ecommOrderServiceGetsDeliveryTokenForEcommExchangedAssertion() throws Exception {
        StsHttp order = as(CA.issue("order"));
        String assertion = ecommToken("https://logistics-sts.test", "delivery:write", "spiffe://ecomm.local/order");

        StsHttp.Response r = order.post("/oauth2/token", null, null, "grant_type",
                "urn:ietf:params:oauth:grant-type:jwt-bearer", "client_id", "ecomm-order", "assertion", assertion,
                "audience", "delivery-service", "scope", "delivery:write");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JWTClaimsSet claims = order.verifiedJwt(r.text("access_token")).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("https://logistics-sts.test");
        assertThat(claims.getSubject()).isEqualTo("peter");
        assertThat(claims.getAudience()).containsExactly("delivery-service");
        assertThat(claims.getStringClaim("scope")).isEqualTo("delivery:write");
        // the assertion's actor already is the caller: its act is kept, not repeated
        assertThat(claims.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", "spiffe://ecomm.local/order"));
        assertThat(JWKS_FETCHES.get()).isPositive();
    }

    @Test
    void logisticsGatewayExchangesEcommTokenAddressedToIt() throws Exception {
        Instant now = Instant.now();
        StsHttp gateway = as(CA.issue(List.of("spiffe://logistics.local/gateway"), now.minusSeconds(60),
                now.plusSeconds(3600), false));
        String subject = ecommToken("logistics-gateway", "delivery:write", "spiffe://ecomm.local/order");

        StsHttp.Response r = gateway.post("/oauth2/token", null, null, "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange", "client_id", "logistics-gateway",
                "subject_token", subject, "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "audience", "delivery-service");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JWTClaimsSet claims = gateway.verifiedJwt(r.text("access_token")).getJWTClaimsSet();
        assertThat(claims.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", "spiffe://logistics.local/gateway",
                "act", Map.of("sub", "spiffe://ecomm.local/order")));
        assertThat(claims.getStringClaim("client_id")).isEqualTo("logistics-gateway");
    }

    @Test
    void ecommTokenForAnotherAudienceIsRefused() {
        StsHttp order = as(CA.issue("order"));
        String forInventory = ecommToken("inventory-service", "delivery:write", "spiffe://ecomm.local/order");

        StsHttp.Response r = order.post("/oauth2/token", null, null, "grant_type",
                "urn:ietf:params:oauth:grant-type:jwt-bearer", "client_id", "ecomm-order", "assertion", forInventory);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text("error")).isEqualTo("invalid_grant");
    }

    private static String ecommToken(String audience, String scope, String actor) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("http://localhost:" + ECOMM_STS.getAddress().getPort())
                .subject("peter").audience(audience).claim("scope", scope).claim("client_id", "order-service")
                .claim("act", Map.of("sub", actor)).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString()).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ECOMM_KEY.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new ECDSASigner(ECOMM_KEY));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey key() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("ecomm-1").generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer ecommJwks() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JWKSet(ECOMM_KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/oauth2/jwks", exchange -> {
                JWKS_FETCHES.incrementAndGet();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private StsHttp as(Svid svid) {
        // the test STS's certificate is spiffe://ecomm.local/sts: a logistics.local client trusts it through federation
        SSLContext context = SpiffeTls.clientContext(MutableSvidSupplier.of(svid, CA.bundle(),
                        Map.of("ecomm.local", CA.bundle())),
                SpiffeIdPolicy.oneOf("spiffe://ecomm.local/sts"), HandshakeFailureListener.NONE);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(context).sslParameters(SpiffeTls.clientParameters(context)).build();
        return new StsHttp(client, "https://localhost:" + port);
    }
}
