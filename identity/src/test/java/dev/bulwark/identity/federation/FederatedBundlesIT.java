package dev.bulwark.identity.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.ca.WorkloadCaSettings;
import dev.bulwark.identity.issuance.CaSvidSource;
import dev.bulwark.identity.jwt.JwtSvidIssuer;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.identity.workload.WorkloadApiServer;
import dev.bulwark.identity.workload.WorkloadRegistry;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.exception.BundleNotFoundException;
import io.spiffe.workloadapi.DefaultWorkloadApiClient;
import io.spiffe.workloadapi.DefaultX509Source;
import io.spiffe.workloadapi.WorkloadApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federation through a real Workload API server on a Unix socket, read by java-spiffe: the ecomm
 * identity serves the logistics bundle (from its PEM file) as {@code federated_bundles} and in
 * {@code FetchX509Bundles}, and pushes the new bundle when the file changes.
 */
class FederatedBundlesIT {

    private static final TrustDomain ECOMM = TrustDomain.parse("ecomm.local");
    private static final TrustDomain LOGISTICS = TrustDomain.parse("logistics.local");
    private static final io.spiffe.spiffeid.TrustDomain LOGISTICS_TD = io.spiffe.spiffeid.TrustDomain.parse("logistics.local");
    private static final io.spiffe.spiffeid.TrustDomain ECOMM_TD = io.spiffe.spiffeid.TrustDomain.parse("ecomm.local");

    @TempDir
    Path dir;

    private final WorkloadRegistry registry = new WorkloadRegistry();
    private final WorkloadCa ecomm = WorkloadCa.create(WorkloadCaSettings.defaults(ECOMM));
    private final WorkloadCa logistics = WorkloadCa.create(WorkloadCaSettings.defaults(LOGISTICS));
    private CaSvidSource svids;
    private WorkloadApiServer server;
    private FederationFiles federation;

    private Path start() {
        Path bundleFile = dir.resolve("logistics/pki/bundle.pem");
        svids = CaSvidSource.start(ecomm);
        federation = FederationFiles.open(ECOMM, Map.of(LOGISTICS, bundleFile));
        server = WorkloadApiServer.start(dir.resolve("agent.sock"), registry, svids, federation,
                JwtSvidIssuer.create(ECOMM, JwtSvidIssuer.DEFAULT_LIFETIME, Clock.systemUTC()));
        registry.register(ProcessHandle.current().pid(), SpiffeId.parse("spiffe://ecomm.local/order"));
        return bundleFile;
    }

    private DefaultX509Source x509Source() throws Exception {
        return DefaultX509Source.newSource(DefaultX509Source.X509SourceOptions.builder()
                .spiffeSocketPath("unix:" + server.socket())
                .initTimeout(Duration.ofSeconds(10))
                .build());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (svids != null) {
            svids.close();
        }
    }

    @Test
    void x509SvidStreamCarriesTheFederatedBundleAndItsUpdate() throws Exception {
        Path bundleFile = start();
        Files.createDirectories(bundleFile.getParent());
        Files.writeString(bundleFile, logistics.bundlePem());
        federation.poll();

        try (DefaultX509Source source = x509Source()) {
            assertThat(source.getX509Svid().getSpiffeId().toString()).isEqualTo("spiffe://ecomm.local/order");
            assertThat(source.getBundleForTrustDomain(ECOMM_TD).getX509Authorities())
                    .containsExactlyInAnyOrderElementsOf(ecomm.bundle());
            assertThat(source.getBundleForTrustDomain(LOGISTICS_TD).getX509Authorities())
                    .containsExactlyInAnyOrderElementsOf(logistics.bundle());

            logistics.prepareRoot();   // a second logistics root: the bundle file changes
            Files.writeString(bundleFile, logistics.bundlePem());
            federation.poll();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(source.getBundleForTrustDomain(LOGISTICS_TD).getX509Authorities())
                            .hasSize(2).containsExactlyInAnyOrderElementsOf(logistics.bundle()));
            // the own domain's bundle is untouched by the federation update
            assertThat(source.getBundleForTrustDomain(ECOMM_TD).getX509Authorities())
                    .containsExactlyInAnyOrderElementsOf(ecomm.bundle());
        }
    }

    @Test
    void federatedBundleThatAppearsLaterIsPushedToAnOpenStream() throws Exception {
        Path bundleFile = start();

        try (DefaultX509Source source = x509Source()) {
            assertThatThrownBy(() -> source.getBundleForTrustDomain(LOGISTICS_TD)).isInstanceOf(BundleNotFoundException.class);

            Files.createDirectories(bundleFile.getParent());
            Files.writeString(bundleFile, logistics.bundlePem());
            federation.poll();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(source.getBundleForTrustDomain(LOGISTICS_TD).getX509Authorities())
                            .containsExactlyInAnyOrderElementsOf(logistics.bundle()));
        }
    }

    @Test
    void fetchX509BundlesHasTheOwnAndTheFederatedDomain() throws Exception {
        Path bundleFile = start();
        Files.createDirectories(bundleFile.getParent());
        Files.writeString(bundleFile, logistics.bundlePem());
        federation.poll();

        try (WorkloadApiClient client = DefaultWorkloadApiClient.newClient(
                DefaultWorkloadApiClient.ClientOptions.builder().spiffeSocketPath("unix:" + server.socket()).build())) {
            X509BundleSet bundles = client.fetchX509Bundles();

            assertThat(bundles.getBundles()).containsOnlyKeys(ECOMM_TD, LOGISTICS_TD);
            assertThat(bundles.getBundleForTrustDomain(LOGISTICS_TD).getX509Authorities())
                    .containsExactlyInAnyOrderElementsOf(logistics.bundle());
            assertThat(bundles.getBundleForTrustDomain(ECOMM_TD).getX509Authorities())
                    .containsExactlyInAnyOrderElementsOf(ecomm.bundle());
        }
    }
}
