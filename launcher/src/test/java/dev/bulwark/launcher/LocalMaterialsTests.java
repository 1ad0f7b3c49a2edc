package dev.bulwark.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.securitykit.jose.JwkFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMaterialsTests {

    @TempDir
    Path home;

    @Test
    void ensureWhenFirstRunThenEveryFileExistsAndSecretsAreOwnerOnly() throws Exception {
        LocalMaterials materials = new LocalMaterials(home);
        materials.ensure();

        assertOwnerOnly(materials.userContextKey());
        assertOwnerOnly(materials.gatewayClientSecret());
        assertThat(Files.getPosixFilePermissions(materials.workloadSocket().getParent())).isEqualTo(Set.of(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        assertThat(JwkFiles.readPublicSet(materials.userContextPublicKeys()).getKeys().get(0).getKeyID())
                .isEqualTo(JwkFiles.readPrivate(materials.userContextKey()).getKeyID());
    }

    @Test
    void ensureWhenRunAgainThenNothingChanges() throws Exception {
        LocalMaterials materials = new LocalMaterials(home);
        materials.ensure();
        String key = Files.readString(materials.userContextKey());
        String secret = Files.readString(materials.gatewayClientSecret());

        materials.ensure();

        assertThat(Files.readString(materials.userContextKey())).isEqualTo(key);
        assertThat(Files.readString(materials.gatewayClientSecret())).isEqualTo(secret);
    }

    @Test
    void ensureWhenFirstRunThenThePolicyDirectoryHoldsTheDefaultsAndALaterEditIsKept() throws Exception {
        LocalMaterials materials = new LocalMaterials(home);
        materials.ensure();

        assertThat(materials.policy().resolve("policies.cedar")).content().contains("@id(\"orders-read-own\")");
        assertThat(materials.policy().resolve("schema.cedarschema")).content().contains("namespace Bulwark");
        assertThat(materials.policy().resolve("entities.json")).content().contains("Bulwark::Role");
        Files.writeString(materials.policy().resolve("entities.json"), "[]");

        materials.ensure();

        assertThat(materials.policy().resolve("entities.json")).hasContent("[]");
        try (var files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".policy-"));
        }
    }

    @Test
    void ensureWhenFirstRunThenNoLocalCaIsMade() {
        new LocalMaterials(home).ensure();

        // TLS keys come from the Workload API now; the identity process owns pki/
        assertThat(home.resolve("pki/ca.pem")).doesNotExist();
        assertThat(home.resolve("pki/ca.key")).doesNotExist();
    }

    private static void assertOwnerOnly(Path file) throws Exception {
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
}
