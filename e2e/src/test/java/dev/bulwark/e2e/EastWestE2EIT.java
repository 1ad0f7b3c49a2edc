package dev.bulwark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.securitykit.jose.JwkFiles;
import dev.bulwark.securitykit.jwt.IssuedToken;
import dev.bulwark.securitykit.jwt.TokenClient;
import dev.bulwark.securitykit.jwt.TokenRequestException;
import dev.bulwark.securitykit.jwt.WorkloadJwtSigner;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.SvidSupplier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * East/west JWTs and the second trust domain against the whole system as {@code ./bulwark up} starts
 * it (book chapter 7): the order service's call to inventory with each of the four JWT patterns, the
 * STS's token-exchange policy, and both cross-domain flows to the delivery service in
 * {@code logistics.local}.
 *
 * <p>Where a test plays the order service, this JVM registers itself as {@code spiffe://ecomm.local/order}
 * and gets that SVID from the Workload API, exactly as the launcher registers the real one; the
 * user-context JWT it starts from is signed with the gateway's local key (as the gateway signs it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class EastWestE2EIT {

    private static final String ORDER_ID = "spiffe://ecomm.local/order";

    LocalSystem system;
    WorkloadIdentity.Snapshot gatewaySvid;
    WorkloadIdentity.Snapshot orderSvid;
    String userToken;

    @BeforeAll
    void startSystem() {
        system = LocalSystem.start("h2");
        userToken = system.userToken("peter", "peter123", "orders:read orders:write");
        // a second identity first: a test signs with it while it connects as the order service
        gatewaySvid = WorkloadIdentity.svid(system, "gateway");
        orderSvid = WorkloadIdentity.svid(system, "order");
        // the logistics domain's bundle reaches the ecomm identity by federation within seconds of start
        await().atMost(Duration.ofSeconds(20)).until(() -> !(orderSvid = WorkloadIdentity.svid(system, "order"))
                .federatedBundles().isEmpty());
    }

    @AfterAll
    void stopSystem() {
        if (system != null) {
            WorkloadIdentity.forget(system);
            system.close();
        }
    }

    // --- the order service end to end (exchanged JWT to inventory, direct flow to delivery) ---

    @Test
    void placingAnOrderReservesStockAndSchedulesADeliveryInTheOtherDomain() {
        int before = stock("IT0002");

        HttpResponse<String> placed = system.postJson("/api/orders", userToken,
                "{\"items\":[{\"itemCode\":\"IT0002\",\"quantity\":4}],\"shippingAddress\":\"1 Main St\"}");

        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        Map<String, Object> order = LocalSystem.json(placed.body());
        assertThat(order.get("deliveryId")).as(placed.body()).isNotNull();
        assertThat(stock("IT0002")).isEqualTo(before - 4);
        // the delegation chain of each hop, in each resource service's audit log
        assertLogged("order",
                "event=access method=POST path=/orders status=201 sub=peter actors=spiffe://ecomm.local/gateway client_id=orderprocessingapp pattern=user_context");
        assertLogged("inventory", 
                "event=access method=PUT path=/inventory status=200 sub=peter actors=" + ORDER_ID + " .*pattern=exchanged");
        assertLogged("delivery", 
                "event=access method=POST path=/deliveries status=201 sub=peter actors=" + ORDER_ID + " .*pattern=exchanged");
    }

    @Test
    void anOrderForStockThatIsShortIsRefusedAndNothingIsKept() {
        int before = stock("IT0099");
        String listBefore = system.get("/api/orders", userToken).body();

        HttpResponse<String> placed = system.postJson("/api/orders", userToken,
                "{\"items\":[{\"itemCode\":\"IT0099\",\"quantity\":5}],\"shippingAddress\":\"1 Main St\"}");

        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(409);
        assertThat(placed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(placed.body()).doesNotContain("Exception", "inventory-service", "https://");
        assertThat(stock("IT0099")).isEqualTo(before);
        assertThat(system.get("/api/orders", userToken).body()).isEqualTo(listBefore);
    }

    // --- the four patterns, each presented to inventory by the order service's identity ---

    @Test
    void sharedJwtAddressedToTheOrderServiceIsRefusedByInventory() {
        HttpResponse<String> response = reserve(userContext("orders:read orders:write"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).contains("invalid_token"));
    }

    @Test
    void exchangedJwtIsAcceptedAndNarrowed() throws ParseException {
        IssuedToken exchanged = exchange(userContext("orders:read orders:write"), "inventory-service", Set.of("inventory:write"));

        JWTClaimsSet claims = SignedJWT.parse(exchanged.accessToken()).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly("inventory-service");
        assertThat(claims.getSubject()).isEqualTo("peter");
        assertThat(claims.getStringClaim("scope")).isEqualTo("inventory:write");
        assertThat(claims.getJSONObjectClaim("act")).containsEntry("sub", ORDER_ID);
        assertThat(reserve(exchanged.accessToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void exchangeCannotWidenTheSubjectsScope() {
        // a read-only user-context: inventory:write requires orders:write
        assertThatThrownBy(() -> exchange(userContext("orders:read"), "inventory-service", Set.of("inventory:write")))
                .isInstanceOfSatisfying(TokenRequestException.class, e -> assertThat(e.error()).isEqualTo("invalid_scope"));
    }

    @Test
    void exchangeForATargetThePolicyDoesNotAllowIsRefused() {
        assertThatThrownBy(() -> exchange(userContext("orders:read orders:write"), "delivery-service", Set.of()))
                .isInstanceOfSatisfying(TokenRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("invalid_target");
                });
    }

    @Test
    void exchangeWithoutAClientCertificateIsRefused() {
        HttpResponse<String> response = system.stsForm("/oauth2/token", null, null, Map.of(
                "grant_type", TokenClient.TOKEN_EXCHANGE,
                "client_id", "order-service",
                "subject_token", userContext("orders:read orders:write"),
                "subject_token_type", TokenClient.TOKEN_TYPE_JWT,
                "audience", "inventory-service"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(LocalSystem.json(response.body())).containsEntry("error", "invalid_client");
        assertThat(response.body()).doesNotContain("eyJ");
    }

    @Test
    void exchangeWithAnotherWorkloadsCertificateIsRefused() {
        // a valid SVID of this domain, but not the one registered for the client order-service
        TokenClient asGateway = TokenClient.create(system.sts("/oauth2/token"), "order-service", mtls(gatewaySvid, "ecomm.local/sts"));

        assertThatThrownBy(() -> asGateway.exchange(userContext("orders:read orders:write"), "inventory-service", Set.of()))
                .isInstanceOfSatisfying(TokenRequestException.class, e -> assertThat(e.error()).isEqualTo("invalid_client"));
    }

    @Test
    void selfIssuedJwtFromTheCallerIsAccepted() {
        String jwt = new WorkloadJwtSigner(orderSvid, Clock.systemUTC(), Duration.ofSeconds(30))
                .selfIssued("peter", "inventory-service", Set.of("inventory:write"));

        HttpResponse<String> response = reserve(jwt);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertLogged("inventory", "sub=peter actors=" + ORDER_ID + " .*pattern=self_issued");
    }

    @Test
    void selfIssuedJwtSignedByAWorkloadThatIsNotTheCallerIsRefused() {
        // signed with the gateway's SVID key, sent over the order service's mTLS connection
        String jwt = new WorkloadJwtSigner(gatewaySvid, Clock.systemUTC(), Duration.ofSeconds(30))
                .selfIssued("peter", "inventory-service", Set.of("inventory:write"));
        int before = stock("IT0001");

        HttpResponse<String> response = reserve(jwt);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(stock("IT0001")).isEqualTo(before);
        // refused whichever check comes first: not a configured signer, or not the mTLS peer
        assertLogged("inventory", "reason=(signer_not_peer|untrusted_signer)");
    }

    @Test
    void nestedJwtAroundTheExchangedTokenIsAccepted() {
        String inner = exchange(userContext("orders:read orders:write"), "inventory-service", Set.of("inventory:write")).accessToken();
        String nested = new WorkloadJwtSigner(orderSvid, Clock.systemUTC(), Duration.ofSeconds(30)).nested(inner);

        HttpResponse<String> response = reserve(nested);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertLogged("inventory", "sub=peter actors=" + ORDER_ID + " .*pattern=nested");
    }

    @Test
    void nestedJwtWhoseOuterSignerIsNotTheInnerTokensClientIsRefused() {
        String inner = exchange(userContext("orders:read orders:write"), "inventory-service", Set.of("inventory:write")).accessToken();
        // the outer JWT signed by another workload (the gateway) around the order service's token
        String nested = new WorkloadJwtSigner(gatewaySvid, Clock.systemUTC(), Duration.ofSeconds(30)).nested(inner);

        HttpResponse<String> response = reserve(nested);

        assertThat(response.statusCode()).isEqualTo(401);
        assertLogged("inventory", "reason=(nested_signer_mismatch|signer_not_peer)");
    }

    // --- the second trust domain ---

    @Test
    void withoutAGatewayTheOrderServiceUsesTheJwtBearerGrantAtTheLogisticsSts() throws ParseException {
        IssuedToken assertion = exchange(userContext("orders:read orders:write"), logisticsIssuer(), Set.of("delivery:write"));
        TokenClient logisticsSts = TokenClient.create(URI.create(logisticsIssuer() + "/oauth2/token"), "ecomm-order",
                mtls(orderSvid, "logistics.local/sts"));

        IssuedToken delivery = logisticsSts.jwtBearer(assertion.accessToken(), "delivery-service", Set.of("delivery:write"));

        JWTClaimsSet claims = SignedJWT.parse(delivery.accessToken()).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(logisticsIssuer());
        assertThat(claims.getAudience()).containsExactly("delivery-service");
        assertThat(claims.getSubject()).isEqualTo("peter");
        HttpResponse<String> scheduled = postDelivery(url("delivery") + "/deliveries", delivery.accessToken(),
                mtls(orderSvid, "logistics.local/delivery"));
        assertThat(scheduled.statusCode()).as(scheduled.body()).isEqualTo(201);
    }

    @Test
    void throughTheLogisticsGatewayTheEcommTokenIsExchangedForALogisticsToken() {
        IssuedToken forGateway = exchange(userContext("orders:read orders:write"), "logistics-gateway", Set.of("delivery:write"));

        HttpResponse<String> scheduled = postDelivery(url("logistics-gateway") + "/api/deliveries", forGateway.accessToken(),
                mtls(orderSvid, "logistics.local/gateway"));

        assertThat(scheduled.statusCode()).as(scheduled.body()).isEqualTo(201);
        // delivery saw a logistics token whose chain is: peter, by the order service, by the logistics gateway
        assertLogged("delivery", 
                "sub=peter actors=spiffe://logistics.local/gateway,spiffe://ecomm.local/order .*pattern=exchanged");
    }

    @Test
    void anEcommTokenPresentedDirectlyToTheDeliveryServiceIsRefused() {
        IssuedToken ecommToken = exchange(userContext("orders:read orders:write"), "logistics-gateway", Set.of("delivery:write"));

        HttpResponse<String> response = postDelivery(url("delivery") + "/deliveries", ecommToken.accessToken(),
                mtls(orderSvid, "logistics.local/delivery"));

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void aJwtFromAnIssuerTheLogisticsStsDoesNotTrustGetsInvalidGrant() throws JOSEException {
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID("attacker").generate();
        Instant now = Instant.now();
        SignedJWT assertion = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("attacker").build(),
                new JWTClaimsSet.Builder().issuer("https://attacker.example").subject("peter").audience(logisticsIssuer())
                        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)))
                        .jwtID(UUID.randomUUID().toString()).claim("scope", "delivery:write").build());
        assertion.sign(new ECDSASigner(attacker));
        TokenClient logisticsSts = TokenClient.create(URI.create(logisticsIssuer() + "/oauth2/token"), "ecomm-order",
                mtls(orderSvid, "logistics.local/sts"));

        assertThatThrownBy(() -> logisticsSts.jwtBearer(assertion.serialize(), "delivery-service", Set.of()))
                .isInstanceOfSatisfying(TokenRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("invalid_grant");
                });
    }

    // --- the audit trail is hash-chained ---

    @Test
    void auditVerifyFindsTheChainsIntactAndDetectsOneEditedByte() throws IOException {
        reserve(exchange(userContext("orders:read orders:write"), "inventory-service", Set.of("inventory:write")).accessToken());
        java.nio.file.Path audit = system.home.resolve("audit");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(audit.resolve("bulwark-inventory.log")));

        CommandResult intact = system.bulwarkScript("audit", "verify");

        assertThat(intact.exitCode()).as(intact.output()).isZero();
        assertThat(intact.output()).containsPattern("bulwark-inventory.log: ok \\d+ entr(y|ies)");
        // a copy with one byte changed (the live file stays as the running service writes it)
        byte[] bytes = Files.readAllBytes(audit.resolve("bulwark-inventory.log"));
        int at = new String(bytes, StandardCharsets.UTF_8).indexOf("status=200");
        assertThat(at).isPositive();
        bytes[at + "status=".length()] = '5';
        Files.write(audit.resolve("tampered-copy.log"), bytes);

        CommandResult tampered = system.bulwarkScript("audit", "verify");

        assertThat(tampered.exitCode()).as(tampered.output()).isEqualTo(1);
        assertThat(tampered.output()).containsPattern("tampered-copy.log: TAMPERED at line \\d+");
        Files.delete(audit.resolve("tampered-copy.log"));
    }

    // --- helpers ---

    /** The user-context JWT the gateway would send the order service (aud order-service), signed with its local key. */
    private String userContext(String scope) {
        try {
            ECKey key = JwkFiles.readPrivate(system.home.resolve("keys/gateway-context.jwk")).toECKey();
            Instant now = Instant.now();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    new JWTClaimsSet.Builder().issuer("bulwark-gateway").audience("order-service").subject("peter")
                            .claim("client_id", "orderprocessingapp").claim("scope", scope)
                            .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                            .expirationTime(Date.from(now.plusSeconds(60))).jwtID(UUID.randomUUID().toString()).build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private IssuedToken exchange(String subject, String audience, Set<String> scopes) {
        // a new client per call: each test sees the STS's answer, not the client's cache
        return TokenClient.create(system.sts("/oauth2/token"), "order-service", mtls(orderSvid, "ecomm.local/sts"))
                .exchange(subject, audience, scopes);
    }

    private HttpResponse<String> reserve(String token) {
        return send(mtls(orderSvid, "ecomm.local/inventory"), HttpRequest.newBuilder(URI.create(url("inventory") + "/inventory"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("[{\"code\":\"IT0001\",\"qty\":1}]")).build());
    }

    private int stock(String code) {
        String token = exchange(userContext("orders:read"), "inventory-service", Set.of("inventory:read")).accessToken();
        HttpResponse<String> response = send(mtls(orderSvid, "ecomm.local/inventory"),
                HttpRequest.newBuilder(URI.create(url("inventory") + "/inventory/" + code))
                        .header("Authorization", "Bearer " + token).GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ((Number) LocalSystem.json(response.body()).get("qty")).intValue();
    }

    private HttpResponse<String> postDelivery(String uri, String token, SSLContext tls) {
        return send(tls, HttpRequest.newBuilder(URI.create(uri))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"orderId\":\"" + UUID.randomUUID() + "\",\"address\":\"1 Main St\",\"items\":[{\"code\":\"IT0001\",\"qty\":1}]}"))
                .build());
    }

    private static SSLContext mtls(SvidSupplier svids, String server) {
        return SpiffeTls.clientContext(svids, SpiffeIdPolicy.oneOf("spiffe://" + server), HandshakeFailureListener.NONE);
    }

    private static HttpResponse<String> send(SSLContext tls, HttpRequest request) {
        try (HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String url(String component) {
        return (String) system.component(component).get("url");
    }

    private String logisticsIssuer() {
        return url("logistics-sts");
    }

    private String log(String component) {
        try {
            return Files.readString(system.home.resolve("logs/" + component + ".log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The audit line is written when the response is done, which may be just after the client has it. */
    private void assertLogged(String component, String regex) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log(component)).containsPattern(regex));
    }
}
