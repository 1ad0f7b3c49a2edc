package dev.bulwark.identity.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.securitykit.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** X.509-SVIDs as the real {@code openssl} sees them. */
class OpensslSvidIT {

    private static final SpiffeId ORDER = SpiffeId.parse("spiffe://ecomm.local/order");

    @TempDir
    Path dir;

    @Test
    void opensslVerifyWhenSvidThenValidForClientAndServerWithSpiffeUri() throws Exception {
        WorkloadCa ca = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT));
        X509Svid svid = ca.issue(TestCsrs.csr(), ORDER, List.of("localhost"));
        Path root = write("root.pem", ca.bundlePem());
        Path inter = write("inter.pem", Pem.encode(svid.issuer()));
        Path leaf = write("leaf.pem", Pem.encode(svid.leaf()));

        assertThat(run("openssl", "verify", "-purpose", "sslserver", "-CAfile", root, "-untrusted", inter, leaf)).contains("leaf.pem: OK");
        assertThat(run("openssl", "verify", "-purpose", "sslclient", "-CAfile", root, "-untrusted", inter, leaf)).contains("leaf.pem: OK");
        assertThat(run("openssl", "x509", "-in", leaf, "-noout", "-text"))
                .contains("URI:spiffe://ecomm.local/order, DNS:localhost")
                .contains("CA:FALSE")
                .contains("TLS Web Server Authentication, TLS Web Client Authentication")
                .contains("X509v3 Key Usage: critical")
                .contains("Digital Signature");
    }

    @Test
    void opensslVerifyWhenNameConstrainedIntermediateThenOk() throws Exception {
        WorkloadCa ca = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT).withNameConstraints(true));
        X509Svid svid = ca.issue(TestCsrs.csr(), ORDER, List.of("localhost"));

        String out = run("openssl", "verify", "-CAfile", write("root.pem", ca.bundlePem()),
                "-untrusted", write("inter.pem", Pem.encode(svid.issuer())), write("leaf.pem", Pem.encode(svid.leaf())));

        assertThat(out).contains("leaf.pem: OK");
    }

    @Test
    void opensslVerifyWhenRootRotatedThenBothGenerationsVerifyAgainstBundle() throws Exception {
        WorkloadCa ca = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT));
        X509Svid before = ca.issue(TestCsrs.csr(), ORDER, List.of());
        ca.prepareRoot();
        ca.activateRoot();
        X509Svid after = ca.issue(TestCsrs.csr(), ORDER, List.of());
        Path bundle = write("bundle.pem", ca.bundlePem());

        assertThat(run("openssl", "verify", "-CAfile", bundle, "-untrusted", write("i1.pem", Pem.encode(before.issuer())),
                write("before.pem", Pem.encode(before.leaf())))).contains("before.pem: OK");
        assertThat(run("openssl", "verify", "-CAfile", bundle, "-untrusted", write("i2.pem", Pem.encode(after.issuer())),
                write("after.pem", Pem.encode(after.leaf())))).contains("after.pem: OK");
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
    }

    private String run(Object... command) throws Exception {
        Process process = new ProcessBuilder(java.util.Arrays.stream(command).map(String::valueOf).toList())
                .redirectErrorStream(true).directory(dir.toFile()).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(output, StandardCharsets.UTF_8);
    }
}
