package dev.bulwark.identity.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.securitykit.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadCaFilesTests {

    private static final WorkloadCaSettings SETTINGS = WorkloadCaSettings.defaults(TrustDomain.DEFAULT);

    @TempDir
    Path dir;

    @Test
    void loadOrCreateWhenNoFilesThenCreatesRootAndKeyOwnerOnly() throws Exception {
        Path cert = dir.resolve("pki/root.pem");
        Path key = dir.resolve("pki/root-key.pem");

        WorkloadCa ca = WorkloadCa.loadOrCreate(cert, key, SETTINGS, Clock.systemUTC());

        assertThat(Pem.readCertificate(cert)).isEqualTo(ca.bundle().getFirst());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void loadOrCreateWhenFilesExistThenSameRootAndNewIntermediate() throws Exception {
        Path cert = dir.resolve("root.pem");
        Path key = dir.resolve("root-key.pem");
        WorkloadCa first = WorkloadCa.loadOrCreate(cert, key, SETTINGS, Clock.systemUTC());

        WorkloadCa second = WorkloadCa.loadOrCreate(cert, key, SETTINGS, Clock.systemUTC());

        assertThat(second.bundle()).isEqualTo(first.bundle());
        assertThat(second.activeIntermediate()).isNotEqualTo(first.activeIntermediate());
        Chains.validate(second.issue(TestCsrs.csr(), SpiffeId.parse("spiffe://ecomm.local/gateway"), List.of()).chain(),
                first.bundle());
    }

    @Test
    void loadOrCreateWhenKeyDoesNotMatchCertificateThenRefused() {
        Path cert = dir.resolve("a/root.pem");
        Path key = dir.resolve("a/root-key.pem");
        WorkloadCa.loadOrCreate(cert, key, SETTINGS, Clock.systemUTC());
        Path otherKey = dir.resolve("b/root-key.pem");
        WorkloadCa.loadOrCreate(dir.resolve("b/root.pem"), otherKey, SETTINGS, Clock.systemUTC());

        assertThatIllegalArgumentException().isThrownBy(() -> WorkloadCa.loadOrCreate(cert, otherKey, SETTINGS, Clock.systemUTC()))
                .withMessageContaining("does not match the certificate (expected: its private key)");
    }

    @Test
    void saveActiveRootWhenRootActivatedThenRestartLoadsTheNewRoot() throws Exception {
        Path cert = dir.resolve("pki/root.pem");
        Path key = dir.resolve("pki/root-key.pem");
        WorkloadCa ca = WorkloadCa.loadOrCreate(cert, key, SETTINGS, Clock.systemUTC());
        Authority newRoot = ca.prepareRoot();
        ca.activateRoot();

        ca.saveActiveRoot(cert, key);

        assertThat(ca.activeRoot()).isEqualTo(newRoot);
        assertThat(Pem.readCertificate(cert)).isEqualTo(newRoot.certificate());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        WorkloadCa restarted = WorkloadCa.loadOrCreate(cert, key, SETTINGS, Clock.systemUTC());
        assertThat(restarted.bundle()).containsExactly(newRoot.certificate());
        assertThat(restarted.activeRoot()).isEqualTo(newRoot);
        try (var files = Files.list(dir.resolve("pki"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("root.pem", "root-key.pem");
        }
    }
}
