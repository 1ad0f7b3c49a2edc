package dev.bulwark.gateway.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTests {

    @Test
    void getWhenFileRewrittenThenNewSecret(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "first\n");
        SecretFile secret = SecretFile.of(file);
        assertThat(secret.get()).isEqualTo("first");

        Files.writeString(file, "second");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(secret.get()).isEqualTo("second");
    }

    @Test
    void getWhenFileEmptiedLaterThenLastGoodSecretKept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "first");
        SecretFile secret = SecretFile.of(file);
        Files.writeString(file, "");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(secret.get()).isEqualTo("first");
    }

    @Test
    void ofWhenEmptyFileThenRejectedAtStart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, " \n");
        assertThatIllegalArgumentException().isThrownBy(() -> SecretFile.of(file)).withMessageContaining("empty");
    }
}
