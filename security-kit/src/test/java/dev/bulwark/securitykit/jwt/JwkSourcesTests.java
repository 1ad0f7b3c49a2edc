package dev.bulwark.securitykit.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.TestCa;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwkSourcesTests {

    private static final String ORDER = "spiffe://ecomm.local/order";

    @TempDir
    Path dir;

    private final Tokens sts = new Tokens("https://localhost:9443", "k1");

    @Test
    void fileWhenReplacedThenTheNewKeysAreUsed() throws Exception {
        Path file = dir.resolve("keys.jwks");
        Files.writeString(file, new JWKSet(sts.key).toString(false), StandardCharsets.UTF_8);
        EastWestVerifier verifier = verifierWith(JwkSources.file(file));
        assertThat(verifier.verify(token(sts), null).subject()).isEqualTo("peter");

        Tokens rotated = new Tokens(sts.issuer, "k2");
        Files.writeString(file, new JWKSet(rotated.key.toPublicJWK()).toString(), StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(verifier.verify(token(rotated), null).subject()).isEqualTo("peter");
        assertThatThrownBy(() -> verifier.verify(token(sts), null)).isInstanceOf(TokenRefusedException.class);
    }

    @Test
    void fileWhenItHoldsPrivateKeysThenOnlyThePublicHalvesAreKept() throws Exception {
        Path file = dir.resolve("keys.jwks");
        Files.writeString(file, new JWKSet(sts.key).toString(false), StandardCharsets.UTF_8);

        List<?> keys = JwkSources.file(file).get(new com.nimbusds.jose.jwk.JWKSelector(
                new com.nimbusds.jose.jwk.JWKMatcher.Builder().build()), null);

        assertThat(keys).hasSize(1).allSatisfy(key -> assertThat(((com.nimbusds.jose.jwk.JWK) key).isPrivate()).isFalse());
    }

    @Test
    void fileWhenMissingThenRefusedAtCreation() {
        assertThatThrownBy(() -> JwkSources.file(dir.resolve("missing.jwks")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.jwks");
    }

    @Test
    void remoteWhenTokenNamesAnUnknownKidThenTheSetIsFetchedAgain() throws Exception {
        TestCa ca = TestCa.create("ecomm");
        try (StubTokenEndpoint jwks = new StubTokenEndpoint(ca.supplier("sts"), ORDER)) {
            jwks.answer(200, new JWKSet(sts.key.toPublicJWK()).toString());
            SSLContext tls = SpiffeTls.clientContext(ca.supplier("order"), SpiffeIdPolicy.oneOf("spiffe://ecomm.local/sts"),
                    (reason, id) -> { });
            EastWestVerifier verifier = verifierWith(JwkSources.remote(jwks.uri("/oauth2/jwks"), tls));

            assertThat(verifier.verify(token(sts), null).subject()).isEqualTo("peter");
            assertThat(verifier.verify(token(sts), null).subject()).isEqualTo("peter");
            assertThat(jwks.requests).hasSize(1);

            Tokens rotated = new Tokens(sts.issuer, "k2");
            jwks.answer(200, new JWKSet(List.of(sts.key.toPublicJWK(), rotated.key.toPublicJWK())).toString());

            assertThat(verifier.verify(token(rotated), null).subject()).isEqualTo("peter");
            assertThat(jwks.requests).hasSize(2);
            assertThat(jwks.requests).allSatisfy(r -> assertThat(r.path()).isEqualTo("/oauth2/jwks"));
        }
    }

    @Test
    void remoteWhenFetchedThenTheListenerHearsEachOutcome() throws Exception {
        TestCa ca = TestCa.create("ecomm");
        List<Boolean> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (StubTokenEndpoint jwks = new StubTokenEndpoint(ca.supplier("sts"), ORDER)) {
            SSLContext tls = SpiffeTls.clientContext(ca.supplier("order"), SpiffeIdPolicy.oneOf("spiffe://ecomm.local/sts"),
                    (reason, id) -> { });
            EastWestVerifier verifier = verifierWith(JwkSources.remote(jwks.uri("/oauth2/jwks"), tls, outcomes::add));
            jwks.answer(500, "{}");

            assertThatThrownBy(() -> verifier.verify(token(sts), null)).isNotNull();
            assertThat(outcomes).containsExactly(false);
        }
        try (StubTokenEndpoint jwks = new StubTokenEndpoint(ca.supplier("sts"), ORDER)) {
            SSLContext tls = SpiffeTls.clientContext(ca.supplier("order"), SpiffeIdPolicy.oneOf("spiffe://ecomm.local/sts"),
                    (reason, id) -> { });
            outcomes.clear();
            EastWestVerifier verifier = verifierWith(JwkSources.remote(jwks.uri("/oauth2/jwks"), tls, outcomes::add));
            jwks.answer(200, new JWKSet(sts.key.toPublicJWK()).toString());

            assertThat(verifier.verify(token(sts), null).subject()).isEqualTo("peter");
            assertThat(outcomes).containsExactly(true);
        }
    }

    @Test
    void remoteWhenPlainHttpThenRefused() {
        assertThatThrownBy(() -> JwkSources.remote(URI.create("http://localhost/jwks"), SSLContext.getDefault()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    }

    private static EastWestVerifier verifierWith(JWKSource<SecurityContext> keys) {
        return EastWestVerifier.builder().audience("inventory-service").trustedIssuer("https://localhost:9443", keys).build();
    }

    private static String token(Tokens issuer) {
        return issuer.exchanged("peter", "inventory-service", "inventory:read", "order-service", Map.of("sub", ORDER));
    }
}
