package dev.bulwark.securitykit.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.TestCa;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadJwtSignerTests {

    private final TestCa ca = TestCa.create("ecomm");
    private final MutableSvidSupplier svids = ca.supplier("order");
    private final MutableClock clock = new MutableClock();
    private final WorkloadJwtSigner signer = new WorkloadJwtSigner(svids, clock, Duration.ofSeconds(45));

    @Test
    void selfIssuedWhenSignedThenSvidKeyX5cAndClaims() throws Exception {
        SignedJWT jwt = SignedJWT.parse(signer.selfIssued("peter", "inventory-service", Set.of("inventory:write", "inventory:read")));

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(jwt.getHeader().getX509CertChain()).hasSize(1);
        assertThat(jwt.getHeader().getX509CertChain().get(0).decode()).isEqualTo(svids.svid().leaf().getEncoded());
        assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) svids.svid().leaf().getPublicKey()))).isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("spiffe://ecomm.local/order");
        assertThat(claims.getSubject()).isEqualTo("peter");
        assertThat(claims.getAudience()).containsExactly("inventory-service");
        assertThat(claims.getStringClaim("scope")).isEqualTo("inventory:read inventory:write");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofSeconds(45));
        assertThat(claims.getJWTID()).isNotBlank();
    }

    @Test
    void selfIssuedWhenCalledTwiceThenDistinctJwtIds() throws Exception {
        String first = SignedJWT.parse(signer.selfIssued("peter", "a", Set.of())).getJWTClaimsSet().getJWTID();
        String second = SignedJWT.parse(signer.selfIssued("peter", "a", Set.of())).getJWTClaimsSet().getJWTID();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void selfIssuedWhenSvidRenewedThenTheNewKeySigns() throws Exception {
        svids.updateSvid(ca.issue("order"));

        SignedJWT jwt = SignedJWT.parse(signer.selfIssued("peter", "a", Set.of()));

        assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) svids.svid().leaf().getPublicKey()))).isTrue();
    }

    @Test
    void nestedWhenSignedThenCtyJwtAndTheInnerTokenAsPayload() throws Exception {
        String inner = new Tokens("https://localhost:9443", "k").sign(c -> c.subject("peter"));

        JWSObject outer = JWSObject.parse(signer.nested(inner));

        assertThat(outer.getHeader().getContentType()).isEqualTo("JWT");
        assertThat(outer.getHeader().getX509CertChain()).hasSize(1);
        assertThat(outer.getPayload().toString()).isEqualTo(inner);
        assertThat(outer.verify(new ECDSAVerifier((ECPublicKey) svids.svid().leaf().getPublicKey()))).isTrue();
    }

    @Test
    void nestedWhenInnerIsNotAJwsThenRefused() {
        assertThatThrownBy(() -> signer.nested("opaque-token")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("opaque-token");
    }

    @Test
    void constructorWhenLifetimeAboveAMinuteThenRefused() {
        assertThatThrownBy(() -> new WorkloadJwtSigner(svids, clock, Duration.ofSeconds(61)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT1M1S");
    }

    @Test
    void selfIssuedWhenLeafHasNoSpiffeIdThenRefused() {
        MutableSvidSupplier noId = MutableSvidSupplier.of(ca.issue(List.of(), java.time.Instant.now().minusSeconds(60),
                java.time.Instant.now().plusSeconds(600), false), ca.bundle());

        assertThatThrownBy(() -> new WorkloadJwtSigner(noId, clock, Duration.ofSeconds(30)).selfIssued("p", "a", Set.of()))
                .isInstanceOf(IllegalStateException.class);
    }
}
