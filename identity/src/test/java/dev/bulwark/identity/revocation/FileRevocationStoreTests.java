package dev.bulwark.identity.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRevocationStoreTests {

    private static final X500Principal ISSUER = new X500Principal("CN=Bulwark workload intermediate CA 0a1b,OU=ecomm.local,O=Bulwark");
    private static final X500Principal OTHER = new X500Principal("CN=other, O=Acme\\, Inc.");
    private static final Instant AT = Instant.parse("2026-11-24T01:00:00.123Z");

    @TempDir
    Path dir;

    @Test
    void revokeWhenReopenedThenStillRevoked() throws Exception {
        Path file = dir.resolve("revocations");
        FileRevocationStore store = FileRevocationStore.open(file);
        Revocation first = new Revocation(ISSUER, new BigInteger("3f2a9c", 16), AT, RevocationReason.KEY_COMPROMISE);
        Revocation second = new Revocation(OTHER, BigInteger.valueOf(7), AT.plusSeconds(1), RevocationReason.SUPERSEDED);

        assertThat(store.revoke(first)).isTrue();
        assertThat(store.revoke(second)).isTrue();

        FileRevocationStore reopened = FileRevocationStore.open(file);
        assertThat(reopened.find(ISSUER, new BigInteger("3f2a9c", 16))).contains(first);
        assertThat(reopened.find(OTHER, BigInteger.valueOf(7))).contains(second);
        assertThat(reopened.find(OTHER, new BigInteger("3f2a9c", 16))).isEmpty();
        assertThat(reopened.revokedBy(ISSUER)).containsExactly(first);
        assertThat(reopened.size()).isEqualTo(2);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void revokeWhenAlreadyRevokedThenFirstRecordKept() {
        FileRevocationStore store = FileRevocationStore.open(dir.resolve("revocations"));
        Revocation first = new Revocation(ISSUER, BigInteger.TEN, AT, RevocationReason.KEY_COMPROMISE);

        store.revoke(first);

        assertThat(store.revoke(new Revocation(ISSUER, BigInteger.TEN, AT.plusSeconds(5), RevocationReason.UNSPECIFIED))).isFalse();
        assertThat(FileRevocationStore.open(dir.resolve("revocations")).find(ISSUER, BigInteger.TEN)).contains(first);
    }

    @Test
    void openWhenFileMissingThenEmpty() {
        FileRevocationStore store = FileRevocationStore.open(dir.resolve("absent"));

        assertThat(store.size()).isZero();
        assertThat(Files.exists(dir.resolve("absent"))).isFalse();
    }

    @Test
    void openWhenLineCorruptThenRefusedWithLineNumber() throws Exception {
        Path file = dir.resolve("revocations");
        FileRevocationStore.open(file).revoke(new Revocation(ISSUER, BigInteger.TEN, AT, RevocationReason.KEY_COMPROMISE));
        Files.writeString(file, "zz-not-hex 2026-11-24T01:00:00Z KEY_COMPROMISE CN=x\n", java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> FileRevocationStore.open(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("revocations file " + file + " line 3: zz-not-hex")
                .hasMessageContaining("the file is corrupt");
    }

    @Test
    void openWhenReasonUnknownThenRefused() throws Exception {
        Path file = dir.resolve("revocations");
        Files.writeString(file, "a 2026-11-24T01:00:00Z STOLEN CN=x\n");

        assertThatThrownBy(() -> FileRevocationStore.open(file)).hasMessageContaining("line 1");
    }

    @Test
    void openWhenTruncatedLineThenRefused() throws Exception {
        Path file = dir.resolve("revocations");
        Files.writeString(file, "# comment\n\na 2026-11-24T01:00:00Z\n");

        assertThatThrownBy(() -> FileRevocationStore.open(file)).hasMessageContaining("line 3");
    }
}
