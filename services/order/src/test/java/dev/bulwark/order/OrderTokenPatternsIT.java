package dev.bulwark.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.UUID;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.securitykit.tls.SpiffeTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The other inventory token patterns and delivery flows, each against the HTTPS stubs: {@code nested} with the
 * {@code gateway} flow, {@code self-issued} with delivery {@code off}, {@code shared} with the {@code direct}
 * flow; and the start-up checks of the downstream settings.
 */
class OrderTokenPatternsIT {

    static PlacementFixture nestedViaGateway;
    static PlacementFixture selfIssuedNoDelivery;
    static PlacementFixture shared;

    @BeforeAll
    static void start() {
        nestedViaGateway = new PlacementFixture("--bulwark.order.inventory.token=nested",
                "--bulwark.order.delivery.flow=gateway");
        selfIssuedNoDelivery = new PlacementFixture("--bulwark.order.inventory.token=self-issued",
                "--bulwark.order.delivery.flow=off");
        shared = new PlacementFixture("--bulwark.order.inventory.token=shared");
    }

    @AfterAll
    static void stop() {
        for (PlacementFixture fixture : new PlacementFixture[] { nestedViaGateway, selfIssuedNoDelivery, shared }) {
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    static String customer() {
        return "customer-" + UUID.randomUUID();
    }

    static X509Certificate leaf(JWSObject jws) throws Exception {
        byte[] der = jws.getHeader().getX509CertChain().getFirst().decode();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    @Test
    void nestedTokenWrapsTheExchangedTokenInAJwsSignedWithTheOrderServicesSvid() throws Exception {
        String peter = customer();

        ApiClient.Response created = nestedViaGateway.place(peter, OrderPlacementIT.ORDER);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JWSObject outer = JWSObject.parse(PlacementFixture.bearer(nestedViaGateway.inventory.requests().getFirst()));
        assertThat(outer.getHeader().getContentType()).isEqualTo("JWT");
        X509Certificate signer = leaf(outer);
        assertThat(SpiffeTls.spiffeIdOf(signer)).contains(PlacementFixture.ORDER_ID);
        assertThat(outer.verify(new ECDSAVerifier((ECPublicKey) signer.getPublicKey()))).isTrue();
        JWTClaimsSet inner = SignedJWT.parse(outer.getPayload().toString()).getJWTClaimsSet();
        assertThat(inner.getIssuer()).isEqualTo(PlacementFixture.ECOMM_ISSUER);
        assertThat(inner.getAudience()).containsExactly("inventory-service");
        assertThat(inner.getSubject()).isEqualTo(peter);
    }

    @Test
    void gatewayFlowSendsTheTokenExchangedForTheLogisticsGatewayToItsDeliveriesRoute() {
        String peter = customer();

        ApiClient.Response created = nestedViaGateway.place(peter, OrderPlacementIT.ORDER);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        HttpsStub.Request schedule = nestedViaGateway.logisticsGateway.requests().getLast();
        assertThat(schedule.method()).isEqualTo("POST");
        assertThat(schedule.path()).isEqualTo("/api/deliveries");
        JWTClaimsSet token = PlacementFixture.claims(PlacementFixture.bearer(schedule));
        assertThat(token.getIssuer()).isEqualTo(PlacementFixture.ECOMM_ISSUER);
        assertThat(token.getAudience()).containsExactly("logistics-gateway");
        assertThat(token.getClaim("scope")).isEqualTo("delivery:write");
        assertThat(token.getSubject()).isEqualTo(peter);
        assertThat(nestedViaGateway.logisticsSts.requests()).isEmpty();
        assertThat(nestedViaGateway.delivery.requests()).isEmpty();
        assertThat(created.json().get("deliveryId").asString()).isNotBlank();
    }

    @Test
    void selfIssuedTokenIsSignedByTheOrderServiceForTheUserWithoutAnyStsCall() throws Exception {
        String peter = customer();

        ApiClient.Response created = selfIssuedNoDelivery.place(peter, OrderPlacementIT.ORDER);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        SignedJWT token = SignedJWT.parse(PlacementFixture.bearer(selfIssuedNoDelivery.inventory.requests().getLast()));
        X509Certificate signer = leaf(token);
        assertThat(token.verify(new ECDSAVerifier((ECPublicKey) signer.getPublicKey()))).isTrue();
        JWTClaimsSet claims = token.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(PlacementFixture.ORDER_ID);
        assertThat(claims.getSubject()).isEqualTo(peter);
        assertThat(claims.getAudience()).containsExactly("inventory-service");
        assertThat(claims.getClaim("scope")).isEqualTo("inventory:write");
        assertThat(claims.getExpirationTime().toInstant()).isBefore(claims.getIssueTime().toInstant().plusSeconds(61));
        assertThat(selfIssuedNoDelivery.sts.requests()).isEmpty();
    }

    @Test
    void deliveryOffStoresTheOrderWithoutADelivery() {
        String peter = customer();

        ApiClient.Response created = selfIssuedNoDelivery.place(peter, OrderPlacementIT.ORDER);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("deliveryId").isNull()).isTrue();
        assertThat(selfIssuedNoDelivery.delivery.requests()).isEmpty();
        assertThat(selfIssuedNoDelivery.logisticsGateway.requests()).isEmpty();
        assertThat(selfIssuedNoDelivery.orderRows(peter)).isOne();
    }

    @Test
    void sharedPatternForwardsTheUserContextJwtAsReceived() {
        String peter = customer();

        ApiClient.Response created = shared.place(peter, OrderPlacementIT.ORDER);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JWTClaimsSet token = PlacementFixture.claims(PlacementFixture.bearer(shared.inventory.requests().getFirst()));
        assertThat(token.getIssuer()).isEqualTo(TestTokens.ISSUER);
        assertThat(token.getAudience()).containsExactly(TestTokens.AUDIENCE);
        // only the delivery's exchange went to the STS
        assertThat(shared.sts.requests()).extracting(r -> PlacementFixture.form(r.body()).get("audience"))
            .containsExactly(PlacementFixture.LOGISTICS_ISSUER);
    }

    @Test
    void startUpWithWorkloadTlsButNoDownstreamSettingsFailsListingEveryMissingOne() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(OrderApplication.class)
            .properties("server.port=0", "spring.datasource.url=jdbc:h2:mem:startup-tls", "spring.jmx.enabled=false",
                    "bulwark.workload.socket=/nonexistent/agent.sock",
                    "bulwark.order.user-context.jwk-set-file=" + TestTokens.gateway().jwkSetFile())
            .initializers(context -> ((org.springframework.context.support.GenericApplicationContext) context)
                .registerBean(dev.bulwark.securitykit.tls.SvidSupplier.class, () -> nestedViaGateway.orderSvids))
            .run()
            .close())
            .rootCause()
            .hasMessageContaining("bulwark.order.inventory.uri is not set")
            .hasMessageContaining("bulwark.order.delivery.uri is not set")
            .hasMessageContaining("bulwark.order.logistics-sts.issuer is not set")
            .hasMessageContaining("bulwark.order.logistics-sts.token-uri is not set");
    }

    @Test
    void startUpWithADownstreamUrlButNoWorkloadTlsFails() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(OrderApplication.class)
            .properties("server.port=0", "spring.datasource.url=jdbc:h2:mem:startup-plain", "spring.jmx.enabled=false",
                    "bulwark.order.inventory.uri=https://localhost:8444",
                    "bulwark.order.user-context.jwk-set-file=" + TestTokens.gateway().jwkSetFile())
            .run()
            .close())
            .rootCause()
            .hasMessageContaining("bulwark.order.inventory.uri set without workload TLS");
    }
}
