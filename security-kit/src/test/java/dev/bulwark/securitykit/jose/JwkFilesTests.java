package dev.bulwark.securitykit.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwkFilesTests {

    @TempDir
    Path dir;

    @Test
    void writePrivateWhenReadBackThenSameKeyAndOwnerOnly() throws Exception {
        ECKey key = JwkFiles.generateEs256();
        Path file = dir.resolve("k.jwk");
        JwkFiles.writePrivate(key, file);

        assertThat(JwkFiles.readPrivate(file)).isEqualTo(key);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void writePublicSetWhenReadThenNoPrivatePart() throws Exception {
        ECKey key = JwkFiles.generateEs256();
        Path file = dir.resolve("k.jwks");
        JwkFiles.writePublicSet(key, file);

        JWKSet set = JwkFiles.readPublicSet(file);
        assertThat(set.getKeys()).singleElement().satisfies(jwk -> {
            assertThat(jwk.isPrivate()).isFalse();
            assertThat(jwk.getKeyID()).isEqualTo(key.getKeyID());
        });
        assertThat(Files.readString(file)).doesNotContain("\"d\"");
    }

    @Test
    void writePrivateWhenPublicKeyThenRefused() {
        ECKey key = JwkFiles.generateEs256().toPublicJWK();
        assertThatThrownBy(() -> JwkFiles.writePrivate(key, dir.resolve("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
