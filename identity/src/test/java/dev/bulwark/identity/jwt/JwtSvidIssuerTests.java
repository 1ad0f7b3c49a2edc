package dev.bulwark.identity.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class JwtSvidIssuerTests {

    private static final TrustDomain ECOMM = TrustDomain.parse("ecomm.local");
    private static final SpiffeId ORDER = SpiffeId.parse("spiffe://ecomm.local/order");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final JwtSvidIssuer issuer = JwtSvidIssuer.create(ECOMM, JwtSvidIssuer.DEFAULT_LIFETIME, clock);

    @Test
    void issueWhenAudienceGivenThenTokenHasOnlyTheSpiffeHeaderAndClaims() throws Exception {
        JwtSvid svid = issuer.issue(ORDER, List.of("spiffe://ecomm.local/sts"));

        SignedJWT jwt = SignedJWT.parse(svid.token());
        assertThat(jwt.getHeader().getIncludedParams()).containsExactlyInAnyOrder("alg", "kid", "typ");
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(issuer.bundle().keyIds()).containsExactly(jwt.getHeader().getKeyID());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("spiffe://ecomm.local/order");
        assertThat(claims.getAudience()).containsExactly("spiffe://ecomm.local/sts");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(clock.instant());
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(svid.spiffeId()).isEqualTo(ORDER);
        assertThat(svid.expiresAt()).isEqualTo(claims.getExpirationTime().toInstant());
    }

    @Test
    void issueWhenLifetimeConfiguredThenExpFollowsIt() throws Exception {
        JwtSvidIssuer shortLived = JwtSvidIssuer.create(ECOMM, Duration.ofSeconds(30), clock);

        JwtSvid svid = shortLived.issue(ORDER, List.of("sts", "gateway"));

        JWTClaimsSet claims = SignedJWT.parse(svid.token()).getJWTClaimsSet();
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(claims.getAudience()).containsExactly("sts", "gateway");
    }

    @Test
    void createWhenLifetimeUnderOneSecondThenRefused() {
        assertThatThrownBy(() -> JwtSvidIssuer.create(ECOMM, Duration.ofMillis(500), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0.5S").hasMessageContaining("expected: at least PT1S");
    }

    @Test
    void issueWhenAudienceEmptyOrBlankThenRejected() {
        assertThatThrownBy(() -> issuer.issue(ORDER, List.of()))
                .isInstanceOf(JwtSvidRejectedException.class).hasMessageContaining("audience: empty");
        assertThatThrownBy(() -> issuer.issue(ORDER, List.of(" ")))
                .isInstanceOf(JwtSvidRejectedException.class).hasMessageContaining("audience");
        assertThatThrownBy(() -> issuer.issue(ORDER, List.of("sts\nevent=forged")))
                .isInstanceOf(JwtSvidRejectedException.class).hasMessageContaining("non-printable");
    }

    @Test
    void issueWhenSubjectInAnotherTrustDomainThenRejected() {
        assertThatThrownBy(() -> issuer.issue(SpiffeId.parse("spiffe://logistics.local/delivery"), List.of("sts")))
                .isInstanceOf(JwtSvidRejectedException.class)
                .hasMessageContaining("expected: an ID in trust domain ecomm.local");
    }

    @Test
    void bundleHoldsThePublicSigningKeyForJwtSvidsOnly() throws Exception {
        JwtSvid svid = issuer.issue(ORDER, List.of("sts"));

        JWKSet jwks = JWKSet.parse(issuer.bundle().jwks());

        assertThat(jwks.getKeys()).singleElement().satisfies(key -> {
            assertThat(key.isPrivate()).isFalse();
            assertThat(key.getKeyUse().identifier()).isEqualTo("jwt-svid");
            assertThat(key.toECKey().getCurve()).isEqualTo(Curve.P_256);
            assertThat(key.getKeyID()).isEqualTo(key.computeThumbprint().toString());
            assertThat(SignedJWT.parse(svid.token()).verify(new ECDSAVerifier(key.toECKey()))).isTrue();
        });
        assertThat(issuer.bundle().jwks()).doesNotContain("\"d\"");
        assertThat(issuer.bundle().trustDomain()).isEqualTo(ECOMM);
    }

    @Test
    void validateWhenTokenValidForAudienceThenReturnsSubjectAndClaims() {
        JwtSvid issued = issuer.issue(ORDER, List.of("sts"));

        JwtSvid validated = issuer.validate(issued.token(), "sts");

        assertThat(validated.spiffeId()).isEqualTo(ORDER);
        assertThat(validated.audience()).containsExactly("sts");
        assertThat(validated.claims()).containsEntry("sub", "spiffe://ecomm.local/order").containsKeys("exp", "iat", "aud");
    }

    @Test
    void tokenForAnotherAudienceIsRejectedWithoutEchoingIt() {
        JwtSvid issued = issuer.issue(ORDER, List.of("sts"));

        assertThatThrownBy(() -> issuer.validate(issued.token(), "gateway"))
                .isInstanceOf(JwtSvidRejectedException.class)
                .hasMessageContaining("aud")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(issued.token()).doesNotContain(issued.token().split("\\.")[1]));
    }

    @Test
    void expiredTokenIsRejected() {
        JwtSvid issued = issuer.issue(ORDER, List.of("sts"));
        clock.advance(Duration.ofMinutes(5));

        assertThatThrownBy(() -> issuer.validate(issued.token(), "sts"))
                .isInstanceOf(JwtSvidRejectedException.class).hasMessageContaining("exp: in the past");
    }

    @Test
    void tokenWithAlgNoneIsRejected() {
        JwtSvid issued = issuer.issue(ORDER, List.of("sts"));
        String payload = issued.token().split("\\.")[1];
        String unsigned = Base64URL.encode("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + payload + ".";

        assertThatThrownBy(() -> issuer.validate(unsigned, "sts")).isInstanceOf(JwtSvidRejectedException.class);
    }

    @Test
    void tokenWithTamperedSubjectIsRejected() throws Exception {
        SignedJWT issued = SignedJWT.parse(issuer.issue(ORDER, List.of("sts")).token());
        JWTClaimsSet forged = new JWTClaimsSet.Builder(issued.getJWTClaimsSet()).subject("spiffe://ecomm.local/admin").build();
        String tampered = issued.getHeader().toBase64URL() + "." + Base64URL.encode(forged.toString()) + "." + issued.getSignature();

        assertThatThrownBy(() -> issuer.validate(tampered, "sts"))
                .isInstanceOf(JwtSvidRejectedException.class).hasMessageContaining("signature: invalid");
    }

    @Test
    void tokenSignedByAnotherKeyUnderTheRealKidIsRejected() throws Exception {
        ECKey attacker = new ECKeyGenerator(Curve.P_256).generate();
        String realKid = issuer.bundle().keyIds().iterator().next();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(realKid).type(JOSEObjectType.JWT).build(),
                claims("spiffe://ecomm.local/admin", "sts"));
        forged.sign(new ECDSASigner(attacker));

        assertThatThrownBy(() -> issuer.validate(forged.serialize(), "sts"))
                .isInstanceOf(JwtSvidRejectedException.class).hasMessageContaining("signature: invalid");
    }

    @Test
    void tokenCarryingItsOwnKeyInTheHeaderIsRejected() throws Exception {
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID("attacker").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("attacker").jwk(attacker.toPublicJWK()).build(),
                claims("spiffe://ecomm.local/admin", "sts"));
        forged.sign(new ECDSASigner(attacker));

        assertThatThrownBy(() -> issuer.validate(forged.serialize(), "sts"))
                .isInstanceOf(JwtSvidRejectedException.class).hasMessageContaining("parameters beyond alg, kid, typ");
    }

    @Test
    void tokenOfAnotherIssuerIsRejected() {
        JwtSvidIssuer other = JwtSvidIssuer.create(ECOMM, JwtSvidIssuer.DEFAULT_LIFETIME, clock);

        assertThatThrownBy(() -> issuer.validate(other.issue(ORDER, List.of("sts")).token(), "sts"))
                .isInstanceOf(JwtSvidRejectedException.class).hasMessageContaining("kid: not in the JWT bundle");
    }

    @Test
    void garbageIsRejected() {
        assertThatThrownBy(() -> issuer.validate("not-a-jwt", "sts"))
                .isInstanceOf(JwtSvidRejectedException.class).hasMessageContaining("not a JWS");
    }

    @Test
    void rotateWhenTokensWereIssuedThenNewKeySignsAndOldKeyStaysUntilTheyExpire() throws Exception {
        JwtSvid before = issuer.issue(ORDER, List.of("sts"));
        String oldKid = SignedJWT.parse(before.token()).getHeader().getKeyID();
        clock.advance(Duration.ofMinutes(1));

        String newKid = issuer.rotate();
        JwtSvid after = issuer.issue(ORDER, List.of("sts"));

        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(SignedJWT.parse(after.token()).getHeader().getKeyID()).isEqualTo(newKid);
        assertThat(issuer.bundle().keyIds()).containsExactlyInAnyOrder(oldKid, newKid);
        assertThat(issuer.validate(before.token(), "sts").spiffeId()).isEqualTo(ORDER);

        clock.advance(Duration.ofMinutes(4).minusSeconds(1));
        assertThat(issuer.retireExpiredKeys()).isFalse();
        assertThat(issuer.bundle().keyIds()).containsExactlyInAnyOrder(oldKid, newKid);

        clock.advance(Duration.ofSeconds(1));
        assertThat(issuer.retireExpiredKeys()).isTrue();
        assertThat(issuer.bundle().keyIds()).containsExactly(newKid);
        assertThat(JWKSet.parse(issuer.bundle().jwks()).getKeys()).extracting(JWK::getKeyID).containsExactly(newKid);
        assertThat(issuer.validate(after.token(), "sts").spiffeId()).isEqualTo(ORDER);
    }

    @Test
    void rotateWhenOldKeySignedNothingThenItLeavesTheBundleAtOnce() {
        String newKid = issuer.rotate();

        assertThat(issuer.bundle().keyIds()).containsExactly(newKid);
    }

    @Test
    void subscriberReceivesTheBundleThenEveryRotationAndRetirement() {
        List<JwtBundle> received = new ArrayList<>();
        issuer.issue(ORDER, List.of("sts"));
        JwtSvidIssuer.Subscription subscription = issuer.subscribe(received::add);
        String first = received.getFirst().keyIds().iterator().next();

        String second = issuer.rotate();
        clock.advance(JwtSvidIssuer.DEFAULT_LIFETIME);
        issuer.retireExpiredKeys();
        subscription.close();
        issuer.rotate();

        assertThat(received).extracting(JwtBundle::keyIds)
                .containsExactly(java.util.Set.of(first), java.util.Set.of(first, second), java.util.Set.of(second));
    }

    @Test
    void toStringLeavesTheTokenOut() {
        JwtSvid svid = issuer.issue(ORDER, List.of("sts"));

        assertThat(svid.toString()).contains("spiffe://ecomm.local/order").doesNotContain(svid.token());
    }

    private JWTClaimsSet claims(String subject, String audience) {
        return new JWTClaimsSet.Builder().subject(subject).audience(audience)
                .expirationTime(Date.from(clock.instant().plusSeconds(60))).issueTime(Date.from(clock.instant())).build();
    }
}
