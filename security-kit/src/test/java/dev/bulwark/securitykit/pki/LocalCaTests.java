package dev.bulwark.securitykit.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCaTests {

    @TempDir
    Path dir;

    @Test
    void issueWhenLoopbackThenChainValidatesAgainstRootWithBothKeyPurposes() throws Exception {
        LocalCa ca = LocalCa.create("test root");
        IssuedCertificate leaf = ca.issueForLoopback("gateway", Duration.ofDays(1));

        validate(leaf.certificate(), ca.certificate());
        assertThat(leaf.certificate().getExtendedKeyUsage())
                .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.certificate().getSubjectAlternativeNames())
                .extracting(name -> (Object) name.get(1))
                .contains((Object) "localhost", (Object) "127.0.0.1");
        assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void issueWhenOtherCaThenChainDoesNotValidate() {
        LocalCa ca = LocalCa.create("one");
        LocalCa other = LocalCa.create("other");
        IssuedCertificate leaf = other.issueForLoopback("order", Duration.ofHours(1));

        assertThatThrownBy(() -> validate(leaf.certificate(), ca.certificate()))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void writeToWhenLoadedBackThenSameCaAndPrivateKeyIsOwnerOnly() throws Exception {
        LocalCa ca = LocalCa.create("root");
        Path cert = dir.resolve("pki/ca.pem");
        Path key = dir.resolve("pki/ca.key");
        ca.writeTo(cert, key);

        LocalCa loaded = LocalCa.loadOrCreate(cert, key, "ignored");
        assertThat(loaded.certificate()).isEqualTo(ca.certificate());
        assertThat(Files.getPosixFilePermissions(key))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        validate(loaded.issueForLoopback("sts", Duration.ofHours(1)).certificate(), ca.certificate());
    }

    @Test
    void writeToWhenIssuedThenPemChainHoldsLeafThenIssuer() throws Exception {
        LocalCa ca = LocalCa.create("root");
        IssuedCertificate leaf = ca.issueForLoopback("sts", Duration.ofHours(1));
        leaf.writeTo(dir.resolve("sts.crt"), dir.resolve("sts.key"));

        String chain = Files.readString(dir.resolve("sts.crt"));
        assertThat(chain.split("BEGIN CERTIFICATE", -1)).hasSize(3);
        assertThat(Pem.readCertificate(dir.resolve("sts.crt"))).isEqualTo(leaf.certificate());
        assertThat(Pem.readPrivateKey(dir.resolve("sts.key")).getEncoded()).isEqualTo(leaf.privateKey().getEncoded());
        assertThat(leaf.toString()).doesNotContain("PRIVATE");
    }

    private static void validate(X509Certificate leaf, X509Certificate root) throws Exception {
        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, params);
    }
}
