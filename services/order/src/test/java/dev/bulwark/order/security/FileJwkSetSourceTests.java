package dev.bulwark.order.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import dev.bulwark.order.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJwkSetSourceTests {

    private static final JWKSelector ANY = new JWKSelector(new JWKMatcher.Builder().build());

    @TempDir
    Path dir;

    @Test
    void getWhenFileRewrittenThenServesTheNewKeys() throws Exception {
        ECKey first = TestTokens.newKey();
        ECKey second = TestTokens.newKey();
        Path file = write(new JWKSet(first), Instant.now().minusSeconds(60));
        FileJwkSetSource source = new FileJwkSetSource(file);
        assertThat(source.get(ANY, null)).extracting(k -> k.getKeyID()).containsExactly(first.getKeyID());

        write(new JWKSet(second.toPublicJWK()), Instant.now());

        assertThat(source.get(ANY, null)).extracting(k -> k.getKeyID()).containsExactly(second.getKeyID());
    }

    @Test
    void getWhenFileHoldsPrivateKeysThenServesOnlyPublicParts() throws Exception {
        Path file = write(new JWKSet(TestTokens.newKey()), Instant.now());
        assertThat(new FileJwkSetSource(file).get(ANY, null)).allMatch(k -> !k.isPrivate());
    }

    @Test
    void getWhenRewriteIsBrokenThenKeepsTheLastGoodKeys() throws Exception {
        ECKey key = TestTokens.newKey();
        Path file = write(new JWKSet(key.toPublicJWK()), Instant.now().minusSeconds(60));
        FileJwkSetSource source = new FileJwkSetSource(file);

        Files.writeString(file, "{\"keys\": [");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now()));

        assertThat(source.get(ANY, null)).extracting(k -> k.getKeyID()).containsExactly(key.getKeyID());
    }

    @Test
    void constructorWhenFileMissingThenFailsNamingTheProperty() {
        assertThatIllegalStateException().isThrownBy(() -> new FileJwkSetSource(dir.resolve("absent.jwks")))
            .withMessageContaining("bulwark.order.user-context.jwk-set-file");
    }

    @Test
    void constructorWhenSetEmptyThenFails() throws Exception {
        Path file = write(new JWKSet(), Instant.now());
        assertThatIllegalStateException().isThrownBy(() -> new FileJwkSetSource(file)).withMessageContaining("no key");
    }

    private Path write(JWKSet set, Instant modified) throws Exception {
        Path file = dir.resolve("gateway.jwks");
        Files.writeString(file, set.toString(false));
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
