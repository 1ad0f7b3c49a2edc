package dev.bulwark.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.securitykit.jose.JwkFiles;
import dev.bulwark.securitykit.pki.Pem;
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

        for (String component : LocalMaterials.COMPONENTS) {
            assertThat(Pem.readCertificate(materials.certificate(component)).getIssuerX500Principal())
                    .isEqualTo(Pem.readCertificate(materials.caCertificate()).getSubjectX500Principal());
            assertOwnerOnly(materials.privateKey(component));
        }
        assertOwnerOnly(materials.userContextKey());
        assertOwnerOnly(materials.gatewayClientSecret());
        assertOwnerOnly(home.resolve("pki/ca.key"));
        assertThat(JwkFiles.readPublicSet(materials.userContextPublicKeys()).getKeys().get(0).getKeyID())
                .isEqualTo(JwkFiles.readPrivate(materials.userContextKey()).getKeyID());
    }

    @Test
    void ensureWhenRunAgainThenNothingChanges() throws Exception {
        LocalMaterials materials = new LocalMaterials(home);
        materials.ensure();
        String ca = Files.readString(materials.caCertificate());
        String gateway = Files.readString(materials.certificate("gateway"));
        String secret = Files.readString(materials.gatewayClientSecret());

        materials.ensure();

        assertThat(Files.readString(materials.caCertificate())).isEqualTo(ca);
        assertThat(Files.readString(materials.certificate("gateway"))).isEqualTo(gateway);
        assertThat(Files.readString(materials.gatewayClientSecret())).isEqualTo(secret);
    }

    private static void assertOwnerOnly(Path file) throws Exception {
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
}
