package dev.bulwark.securitykit.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.securitykit.jwt.TokenRefusedException.Reason;
import dev.bulwark.securitykit.jwt.VerifiedCaller.Pattern;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.securitykit.tls.TestCa;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EastWestVerifierTests {

    private static final String ORDER = "spiffe://ecomm.local/order";
    private static final String INVENTORY = "spiffe://ecomm.local/inventory";
    private static final String GATEWAY = "spiffe://ecomm.local/gateway";
    private static final String LOGISTICS_GATEWAY = "spiffe://logistics.local/gateway";

    private final TestCa ecomm = TestCa.create("ecomm");
    private final TestCa logistics = TestCa.create("logistics");
    private final Tokens sts = new Tokens("https://localhost:9443", "sts-1");
    private final Tokens gateway = new Tokens("bulwark-gateway", "gw-1");
    private final MutableSvidSupplier inventorySvids = MutableSvidSupplier.of(ecomm.issue("inventory"), ecomm.bundle(),
            Map.of("logistics.local", logistics.bundle()));
    private final MutableSvidSupplier orderSvids = ecomm.supplier("order");

    private final EastWestVerifier verifier = EastWestVerifier.builder()
            .audience("inventory-service")
            .trustedIssuer(sts.issuer, sts.keys())
            .selfIssuedSigners(List.of(ORDER, LOGISTICS_GATEWAY))
            .bundles(inventorySvids)
            .build();

    private final WorkloadJwtSigner orderSigner = new WorkloadJwtSigner(orderSvids, Clock.systemUTC(), Duration.ofSeconds(30));

    // --- accepted patterns

    @Test
    void verifyWhenExchangedTokenThenCallerWithActors() {
        String token = sts.exchanged("peter", "inventory-service", "inventory:write inventory:read", "order-service",
                Map.of("sub", ORDER));

        VerifiedCaller caller = verifier.verify(token, ORDER);

        assertThat(caller).isEqualTo(new VerifiedCaller("peter", sts.issuer, "order-service",
                Set.of("inventory:write", "inventory:read"), List.of(ORDER), Pattern.EXCHANGED));
        assertThat(caller.delegationChain()).isEqualTo("peter<-" + ORDER);
    }

    @Test
    void verifyWhenExchangedTwiceThenActorsOutermostFirst() {
        String token = sts.exchanged("peter", "inventory-service", "inventory:write", "logistics-gateway",
                Map.of("sub", LOGISTICS_GATEWAY, "act", Map.of("sub", ORDER)));

        VerifiedCaller caller = verifier.verify(token, null);

        assertThat(caller.actors()).containsExactly(LOGISTICS_GATEWAY, ORDER);
        assertThat(caller.delegationChain()).isEqualTo("peter<-" + ORDER + "<-" + LOGISTICS_GATEWAY);
    }

    @Test
    void verifyWhenSelfIssuedByTheMtlsPeerThenAccepted() {
        String token = orderSigner.selfIssued("peter", "inventory-service", Set.of("inventory:write"));

        VerifiedCaller caller = verifier.verify(token, ORDER);

        assertThat(caller).isEqualTo(new VerifiedCaller("peter", ORDER, null, Set.of("inventory:write"), List.of(ORDER),
                Pattern.SELF_ISSUED));
    }

    @Test
    void verifyWhenSelfIssuedByAFederatedWorkloadThenAccepted() {
        WorkloadJwtSigner logisticsSigner = new WorkloadJwtSigner(
                MutableSvidSupplier.of(logistics.issueFor(LOGISTICS_GATEWAY), logistics.bundle()), Clock.systemUTC(),
                Duration.ofSeconds(30));

        VerifiedCaller caller = verifier.verify(logisticsSigner.selfIssued("peter", "inventory-service", Set.of()),
                LOGISTICS_GATEWAY);

        assertThat(caller.issuer()).isEqualTo(LOGISTICS_GATEWAY);
        assertThat(caller.pattern()).isEqualTo(Pattern.SELF_ISSUED);
    }

    @Test
    void verifyWhenNestedBySignerTheInnerTokenWasIssuedToThenAccepted() {
        String inner = sts.exchanged("peter", "inventory-service", "inventory:write", "order-service", Map.of("sub", ORDER));

        VerifiedCaller caller = verifier.verify(orderSigner.nested(inner), ORDER);

        assertThat(caller).isEqualTo(new VerifiedCaller("peter", sts.issuer, "order-service", Set.of("inventory:write"),
                List.of(ORDER), Pattern.NESTED));
    }

    @Test
    void verifyWhenSharedTokenAndSharedAcceptedThenAccepted() {
        EastWestVerifier sharing = EastWestVerifier.builder().audience("inventory-service")
                .trustedIssuer(sts.issuer, sts.keys())
                .acceptShared("bulwark-gateway", "order-service", gateway.keys())
                .build();
        String token = gateway.sign(c -> c.subject("peter").audience("order-service").claim("scope", "orders:write"));

        VerifiedCaller caller = sharing.verify(token, ORDER);

        assertThat(caller).isEqualTo(new VerifiedCaller("peter", "bulwark-gateway", null, Set.of("orders:write"), List.of(),
                Pattern.SHARED));
    }

    // --- refusals

    @Test
    void sharedTokenIsRefusedByDefault() {
        String token = gateway.sign(c -> c.subject("peter").audience("order-service"));

        assertRefused(token, ORDER, Reason.UNTRUSTED_ISSUER);
    }

    @Test
    void sharedTokenForAnotherAudienceIsRefused() {
        EastWestVerifier sharing = EastWestVerifier.builder().audience("inventory-service")
                .acceptShared("bulwark-gateway", "order-service", gateway.keys()).build();
        String token = gateway.sign(c -> c.subject("peter").audience("delivery-service"));

        assertThatThrownBy(() -> sharing.verify(token, ORDER)).isInstanceOfSatisfying(TokenRefusedException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_AUDIENCE));
    }

    @Test
    void garbageIsMalformed() {
        assertRefused("not-a-token", ORDER, Reason.MALFORMED);
        assertRefused("a.b.c", ORDER, Reason.MALFORMED);
    }

    @Test
    void tokenWithAlgNoneIsRejected() {
        String header = Base64URL.encode("{\"alg\":\"none\"}").toString();
        String payload = Base64URL.encode("{\"iss\":\"https://localhost:9443\",\"sub\":\"peter\",\"aud\":\"inventory-service\"}")
                .toString();

        assertRefused(header + "." + payload + ".", ORDER, Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void tokenSignedWithHmacIsRejected() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().issuer(sts.issuer)
                .subject("peter").audience("inventory-service").expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
        jwt.sign(new MACSigner("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)));

        assertRefused(jwt.serialize(), ORDER, Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void tokenSignedByAnotherKeyWithTheStsKidIsBadSignature() throws Exception {
        ECKey forged = new ECKeyGenerator(Curve.P_256).keyID("sts-1").generate();
        String token = Tokens.signWith(forged, new JWTClaimsSet.Builder().issuer(sts.issuer).subject("peter")
                .audience("inventory-service").expirationTime(Date.from(Instant.now().plusSeconds(60))).build());

        assertRefused(token, ORDER, Reason.BAD_SIGNATURE);
    }

    @Test
    void tokenWithATamperedPayloadIsBadSignature() {
        String[] parts = sts.exchanged("peter", "inventory-service", "inventory:read", "order-service", Map.of("sub", ORDER))
                .split("\\.");
        String payload = Base64URL.encode(new Base64URL(parts[1]).decodeToString().replace("inventory:read", "inventory:write"))
                .toString();

        assertRefused(parts[0] + "." + payload + "." + parts[2], ORDER, Reason.BAD_SIGNATURE);
    }

    @Test
    void tokenOfAnUnknownIssuerIsUntrustedIssuer() {
        Tokens other = new Tokens("https://evil.example", "sts-1");

        assertRefused(other.exchanged("peter", "inventory-service", "", "order-service", Map.of("sub", ORDER)), ORDER,
                Reason.UNTRUSTED_ISSUER);
    }

    @Test
    void tokenForAnotherAudienceIsWrongAudience() {
        assertRefused(sts.exchanged("peter", "delivery-service", "delivery:write", "order-service", Map.of("sub", ORDER)),
                ORDER, Reason.WRONG_AUDIENCE);
    }

    @Test
    void expiredTokenIsRefused() {
        String token = sts.sign(c -> c.subject("peter").audience("inventory-service")
                .expirationTime(Date.from(Instant.now().minusSeconds(120))));

        assertRefused(token, ORDER, Reason.EXPIRED);
    }

    @Test
    void tokenWithoutExpiryIsMalformed() {
        String token = sts.sign(c -> c.subject("peter").audience("inventory-service").expirationTime(null));

        assertRefused(token, ORDER, Reason.MALFORMED);
    }

    @Test
    void tokenNotValidBeforeLaterIsRefused() {
        String token = sts.sign(c -> c.subject("peter").audience("inventory-service")
                .notBeforeTime(Date.from(Instant.now().plusSeconds(120))));

        assertRefused(token, ORDER, Reason.NOT_YET_VALID);
    }

    @Test
    void tokenWithoutSubjectIsMalformed() {
        assertRefused(sts.sign(c -> c.audience("inventory-service")), ORDER, Reason.MALFORMED);
    }

    @Test
    void subjectLongerThanServicesStoreIsMalformed() {
        assertRefused(sts.sign(c -> c.subject("p".repeat(256)).audience("inventory-service")), ORDER, Reason.MALFORMED);
    }

    @Test
    void selfIssuedTokenOfASignerNotConfiguredIsUntrustedSigner() {
        WorkloadJwtSigner gatewaySigner = new WorkloadJwtSigner(ecomm.supplier("gateway"), Clock.systemUTC(),
                Duration.ofSeconds(30));

        assertRefused(gatewaySigner.selfIssued("peter", "inventory-service", Set.of()), GATEWAY, Reason.UNTRUSTED_SIGNER);
    }

    @Test
    void selfIssuedTokenWhoseSignerIsNotTheMtlsPeerIsRefused() {
        String token = orderSigner.selfIssued("peter", "inventory-service", Set.of("inventory:write"));

        assertRefused(token, GATEWAY, Reason.SIGNER_NOT_PEER);
        assertRefused(token, null, Reason.SIGNER_NOT_PEER);
    }

    @Test
    void selfIssuedTokenWithAChainFromAnotherCaIsUntrustedChain() {
        TestCa rogue = TestCa.create("rogue");
        WorkloadJwtSigner rogueSigner = new WorkloadJwtSigner(MutableSvidSupplier.of(rogue.issueFor(ORDER), rogue.bundle()),
                Clock.systemUTC(), Duration.ofSeconds(30));

        assertRefused(rogueSigner.selfIssued("peter", "inventory-service", Set.of("inventory:write")), ORDER,
                Reason.UNTRUSTED_CHAIN);
    }

    @Test
    void selfIssuedTokenClaimingAFederatedIdButSignedByOurCaIsUntrustedChain() {
        WorkloadJwtSigner impostor = new WorkloadJwtSigner(MutableSvidSupplier.of(ecomm.issueFor(LOGISTICS_GATEWAY),
                ecomm.bundle()), Clock.systemUTC(), Duration.ofSeconds(30));

        assertRefused(impostor.selfIssued("peter", "inventory-service", Set.of()), LOGISTICS_GATEWAY, Reason.UNTRUSTED_CHAIN);
    }

    @Test
    void selfIssuedTokenOfAnUnfederatedDomainIsUntrustedChain() {
        TestCa partner = TestCa.create("partner");
        WorkloadJwtSigner signer = new WorkloadJwtSigner(MutableSvidSupplier.of(partner.issueFor("spiffe://partner.local/x"),
                partner.bundle()), Clock.systemUTC(), Duration.ofSeconds(30));
        EastWestVerifier open = EastWestVerifier.builder().audience("inventory-service")
                .selfIssuedSigners(List.of("spiffe://partner.local/x")).bundles(inventorySvids).build();

        assertThatThrownBy(() -> open.verify(signer.selfIssued("peter", "inventory-service", Set.of()), "spiffe://partner.local/x"))
                .isInstanceOfSatisfying(TokenRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_CHAIN);
                    assertThat(e.getMessage()).contains("partner.local");
                });
    }

    @Test
    void selfIssuedTokenWhoseIssuerIsNotTheCertificatesIdIsUntrustedChain() throws Exception {
        Svid svid = ecomm.issue("gateway");
        String token = selfSigned(svid, new JWTClaimsSet.Builder().issuer(ORDER).subject("peter").audience("inventory-service")
                .expirationTime(Date.from(Instant.now().plusSeconds(30))).build());

        assertRefused(token, ORDER, Reason.UNTRUSTED_CHAIN);
    }

    @Test
    void selfIssuedTokenLivingLongerThanAMinuteIsRefused() throws Exception {
        Instant now = Instant.now();
        String token = selfSigned(orderSvids.svid(), new JWTClaimsSet.Builder().issuer(ORDER).subject("peter")
                .audience("inventory-service").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600))).build());

        assertRefused(token, ORDER, Reason.LIFETIME_TOO_LONG);
    }

    @Test
    void selfIssuedTokenForAnotherAudienceIsWrongAudience() {
        assertRefused(orderSigner.selfIssued("peter", "delivery-service", Set.of()), ORDER, Reason.WRONG_AUDIENCE);
    }

    @Test
    void selfIssuedTokenThatExpiredIsRefused() {
        MutableClock past = new MutableClock();
        past.advance(Duration.ofMinutes(-5));
        WorkloadJwtSigner stale = new WorkloadJwtSigner(orderSvids, past, Duration.ofSeconds(30));

        assertRefused(stale.selfIssued("peter", "inventory-service", Set.of()), ORDER, Reason.EXPIRED);
    }

    @Test
    void nestedTokenSignedByAnotherWorkloadThanTheInnerClientIsNestedSignerMismatch() {
        String inner = sts.exchanged("peter", "inventory-service", "inventory:write", "order-service", Map.of("sub", ORDER));
        WorkloadJwtSigner gatewaySigner = new WorkloadJwtSigner(ecomm.supplier("gateway"), Clock.systemUTC(),
                Duration.ofSeconds(30));

        assertRefused(gatewaySigner.nested(inner), GATEWAY, Reason.NESTED_SIGNER_MISMATCH);
    }

    @Test
    void nestedTokenPresentedByAnotherPeerIsSignerNotPeer() {
        String inner = sts.exchanged("peter", "inventory-service", "inventory:write", "order-service", Map.of("sub", ORDER));

        assertRefused(orderSigner.nested(inner), GATEWAY, Reason.SIGNER_NOT_PEER);
    }

    @Test
    void nestedTokenWithAnInnerTokenOfAnUntrustedIssuerIsRefused() {
        Tokens other = new Tokens("https://evil.example", "x");
        String inner = other.exchanged("peter", "inventory-service", "inventory:write", "order-service", Map.of("sub", ORDER));

        assertRefused(orderSigner.nested(inner), ORDER, Reason.UNTRUSTED_ISSUER);
    }

    @Test
    void nestedTokenWithAnInnerSharedTokenIsRefusedEvenWhenSharedIsAccepted() {
        EastWestVerifier sharing = EastWestVerifier.builder().audience("inventory-service").bundles(inventorySvids)
                .acceptShared("bulwark-gateway", "order-service", gateway.keys()).build();
        String inner = gateway.sign(c -> c.subject("peter").audience("order-service").claim("act", Map.of("sub", ORDER)));

        assertThatThrownBy(() -> sharing.verify(orderSigner.nested(inner), ORDER))
                .isInstanceOfSatisfying(TokenRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_ISSUER));
    }

    @Test
    void nestedTokenWithATamperedOuterSignatureIsBadSignature() {
        String inner = sts.exchanged("peter", "inventory-service", "inventory:write", "order-service", Map.of("sub", ORDER));
        String[] other = orderSigner.nested(sts.exchanged("paul", "inventory-service", "inventory:write", "order-service",
                Map.of("sub", ORDER))).split("\\.");
        String[] nested = orderSigner.nested(inner).split("\\.");

        assertRefused(nested[0] + "." + nested[1] + "." + other[2], ORDER, Reason.BAD_SIGNATURE);
    }

    @Test
    void refusalMessageNeverContainsTheToken() {
        String token = sts.exchanged("peter", "delivery-service", "delivery:write", "order-service", Map.of("sub", ORDER));

        assertThatThrownBy(() -> verifier.verify(token, ORDER)).satisfies(e -> {
            assertThat(e.getMessage()).doesNotContain(token).doesNotContain(token.split("\\.")[1]);
        });
    }

    private void assertRefused(String token, String peer, Reason reason) {
        assertThatThrownBy(() -> verifier.verify(token, peer))
                .isInstanceOfSatisfying(TokenRefusedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static String selfSigned(Svid svid, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .x509CertChain(List.of(Base64.encode(svid.leaf().getEncoded()))).build(), claims);
        jwt.sign(new ECDSASigner((java.security.interfaces.ECPrivateKey) svid.privateKey()));
        return jwt.serialize();
    }

}
