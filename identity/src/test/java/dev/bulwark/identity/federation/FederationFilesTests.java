package dev.bulwark.identity.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.ca.TestCsrs;
import dev.bulwark.identity.ca.WorkloadCaSettings;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.identity.workload.FederatedBundle;
import dev.bulwark.identity.workload.X509SvidSource;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederationFilesTests {

    private static final TrustDomain ECOMM = TrustDomain.parse("ecomm.local");
    private static final TrustDomain LOGISTICS = TrustDomain.parse("logistics.local");

    @TempDir
    Path dir;

    private final WorkloadCa logistics = WorkloadCa.create(WorkloadCaSettings.defaults(LOGISTICS));

    @Test
    void openWhenFileIsMissingThenNoBundleUntilItAppears() throws Exception {
        Path file = dir.resolve("logistics/pki/bundle.pem");
        FederationFiles federation = FederationFiles.open(ECOMM, Map.of(LOGISTICS, file));
        List<List<FederatedBundle>> seen = new CopyOnWriteArrayList<>();
        federation.subscribe(seen::add);

        assertThat(federation.current()).isEmpty();
        assertThat(federation.poll()).isFalse();

        Files.createDirectories(file.getParent());
        Files.writeString(file, logistics.bundlePem());

        assertThat(federation.poll()).isTrue();
        assertThat(federation.current()).singleElement().satisfies(bundle -> {
            assertThat(bundle.trustDomainId()).isEqualTo("spiffe://logistics.local");
            assertThat(bundle.bundleDer()).isEqualTo(der(logistics.bundle()));
        });
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isEmpty();
        assertThat(seen.get(1)).isEqualTo(federation.current());
    }

    @Test
    void pollWhenFileChangedThenSubscribersGetTheNewBundleOnce() throws Exception {
        Path file = dir.resolve("bundle.pem");
        Files.writeString(file, logistics.bundlePem());
        FederationFiles federation = FederationFiles.open(ECOMM, Map.of(LOGISTICS, file));
        List<List<FederatedBundle>> seen = new CopyOnWriteArrayList<>();
        federation.subscribe(seen::add);
        logistics.prepareRoot();

        Files.writeString(file, logistics.bundlePem());

        assertThat(federation.poll()).isTrue();
        assertThat(federation.poll()).isFalse();
        assertThat(seen).hasSize(2);
        assertThat(seen.get(1)).singleElement().satisfies(bundle ->
                assertThat(bundle.bundleDer()).isEqualTo(der(logistics.bundle())));
        assertThat(logistics.bundle()).hasSize(2);
    }

    @Test
    void pollWhenFileIsGarbageThenThePreviousBundleStays() throws Exception {
        Path file = dir.resolve("bundle.pem");
        Files.writeString(file, logistics.bundlePem());
        FederationFiles federation = FederationFiles.open(ECOMM, Map.of(LOGISTICS, file));
        List<FederatedBundle> before = federation.current();

        Files.writeString(file, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        assertThat(federation.poll()).isFalse();
        assertThat(federation.current()).isEqualTo(before).hasSize(1);
    }

    @Test
    void pollWhenFileHoldsALeafCertificateThenRefusedAndThePreviousBundleStays() throws Exception {
        Path file = dir.resolve("bundle.pem");
        Files.writeString(file, logistics.bundlePem());
        FederationFiles federation = FederationFiles.open(ECOMM, Map.of(LOGISTICS, file));
        List<FederatedBundle> before = federation.current();
        X509Certificate leaf = logistics.issue(TestCsrs.csr(), SpiffeId.parse("spiffe://logistics.local/delivery"), List.of())
                .leaf();

        Files.write(file, leaf.getEncoded());

        assertThat(federation.poll()).isFalse();
        assertThat(federation.current()).isEqualTo(before);
        assertThatThrownBy(() -> FederationFiles.parse(leaf.getEncoded())).hasMessageContaining("is not a CA");
        assertThatThrownBy(() -> FederationFiles.parse(new byte[0])).hasMessageContaining("no certificate");
    }

    @Test
    void pollWhenFileRemovedThenTheDomainHasNoBundleAnyMore() throws Exception {
        Path file = dir.resolve("bundle.pem");
        Files.writeString(file, logistics.bundlePem());
        FederationFiles federation = FederationFiles.open(ECOMM, Map.of(LOGISTICS, file));
        List<List<FederatedBundle>> seen = new CopyOnWriteArrayList<>();
        X509SvidSource.Subscription subscription = federation.subscribe(seen::add);

        Files.delete(file);

        assertThat(federation.poll()).isTrue();
        assertThat(federation.current()).isEmpty();
        subscription.close();
        Files.writeString(file, logistics.bundlePem());
        assertThat(federation.poll()).isTrue();
        assertThat(seen).hasSize(2);   // nothing after close
    }

    @Test
    void openWhenOwnTrustDomainIsFederatedThenRefused() {
        assertThatThrownBy(() -> FederationFiles.open(ECOMM, Map.of(ECOMM, dir.resolve("x.pem"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("federation: ecomm.local (expected: other trust domains");
    }

    static byte[] der(List<X509Certificate> certificates) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (X509Certificate certificate : certificates) {
            out.writeBytes(certificate.getEncoded());
        }
        return out.toByteArray();
    }
}
