package dev.bulwark.sts.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyEncryptionTests {

    @Test
    void fromFileWhenMissingThenGeneratesOwnerOnlyFileAndRoundTrips(@TempDir Path dir) throws Exception {
        Path kek = dir.resolve("keys/sts-kek");

        KeyEncryption enc = KeyEncryption.fromFile(kek);
        String ct = enc.encrypt("secret".getBytes(StandardCharsets.UTF_8), "kid1");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kek))).isEqualTo("rw-------");
        assertThat(KeyEncryption.fromFile(kek).decrypt(ct, "kid1")).asString(StandardCharsets.UTF_8).isEqualTo("secret");
    }

    @Test
    void decryptWhenBoundToAnotherKidThenFails(@TempDir Path dir) {
        KeyEncryption enc = KeyEncryption.fromFile(dir.resolve("kek"));
        String ct = enc.encrypt(new byte[] {1, 2, 3}, "kid1");

        assertThatThrownBy(() -> enc.decrypt(ct, "kid2")).isInstanceOf(IllegalStateException.class);
    }
}
