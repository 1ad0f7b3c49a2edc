package dev.bulwark.gateway.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserContextSignerTests {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void signWhenCallerThenEs256JwtWithEveryContractClaim() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ctx-1").generate();
        UserContextSigner signer = new UserContextSigner(key, "bulwark-gateway", Duration.ofSeconds(60),
                Clock.fixed(NOW, ZoneOffset.UTC));

        SignedJWT jwt = SignedJWT.parse(signer.sign(
                new CallerIdentity("peter", "orderprocessingapp", List.of("orders:read", "orders:write")), "order-service"));

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("ctx-1");
        assertThat(jwt.verify(new ECDSAVerifier(signer.publicKey()))).isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("bulwark-gateway");
        assertThat(claims.getAudience()).containsExactly("order-service");
        assertThat(claims.getSubject()).isEqualTo("peter");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("orderprocessingapp");
        assertThat(claims.getStringClaim("scope")).isEqualTo("orders:read orders:write");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(60));
        assertThat(claims.getJWTID()).isNotBlank();
    }

    @Test
    void signWhenCalledTwiceThenDistinctJti() throws Exception {
        UserContextSigner signer = new UserContextSigner(new ECKeyGenerator(Curve.P_256).keyID("k").generate(),
                "bulwark-gateway", Duration.ofSeconds(60), Clock.systemUTC());
        CallerIdentity caller = new CallerIdentity("peter", "app", List.of());
        assertThat(SignedJWT.parse(signer.sign(caller, "a")).getJWTClaimsSet().getJWTID())
                .isNotEqualTo(SignedJWT.parse(signer.sign(caller, "a")).getJWTClaimsSet().getJWTID());
    }

    @Test
    void constructorWhenPublicKeyOnlyThenRejected() throws Exception {
        ECKey publicOnly = new ECKeyGenerator(Curve.P_256).keyID("k").generate().toPublicJWK();
        assertThatIllegalArgumentException().isThrownBy(() -> new UserContextSigner(publicOnly, "i",
                Duration.ofSeconds(60), Clock.systemUTC()));
    }

    @Test
    void loadOrGenerateWhenKeyFileThenSameKeyAsWrittenByNimbus(@TempDir Path dir) throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("file-key").generate();
        Path file = dir.resolve("gateway-context.jwk");
        Files.writeString(file, key.toJSONString(), StandardCharsets.UTF_8);

        ECKey loaded = UserContextSigner.loadOrGenerate(file);

        assertThat(loaded.getKeyID()).isEqualTo("file-key");
        assertThat(loaded.isPrivate()).isTrue();
        assertThat(loaded.toPublicJWK()).isEqualTo(key.toPublicJWK());
    }

    @Test
    void loadOrGenerateWhenNoFileThenFreshPrivateKeyWithKid() {
        ECKey generated = UserContextSigner.loadOrGenerate(null);
        assertThat(generated.isPrivate()).isTrue();
        assertThat(generated.getKeyID()).isNotBlank();
    }
}
