package dev.bulwark.identity.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.ca.WorkloadCaSettings;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.identity.workload.WorkloadApiServer;
import dev.bulwark.identity.workload.WorkloadRegistry;
import io.spiffe.workloadapi.DefaultX509Source;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA behind a real Workload API server on a Unix socket, read by java-spiffe's {@link DefaultX509Source}:
 * SVIDs with a few seconds of lifetime are renewed and rotated while the client watches.
 */
class CaSvidSourceIT {

    private static final String ORDER = "spiffe://ecomm.local/order";

    @TempDir
    Path dir;

    private final WorkloadRegistry registry = new WorkloadRegistry();
    private WorkloadCa ca;
    private CaSvidSource svids;
    private WorkloadApiServer server;

    private DefaultX509Source start(Duration svidLifetime) throws Exception {
        ca = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.parse("ecomm.local")).withSvidLifetime(svidLifetime));
        svids = CaSvidSource.start(ca);
        server = WorkloadApiServer.start(dir.resolve("agent.sock"), registry, svids);
        registry.register(ProcessHandle.current().pid(), SpiffeId.parse(ORDER));
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
    void clientReceivesItsSvidChainedToTheBundleThenRenewedOnes() throws Exception {
        try (DefaultX509Source source = start(Duration.ofSeconds(3))) {
            var svid = source.getX509Svid();
            assertThat(svid.getSpiffeId().toString()).isEqualTo(ORDER);
            assertThat(svid.getLeaf().getSubjectAlternativeNames()).singleElement().isEqualTo(List.of(6, ORDER));
            assertThat(source.getBundleForTrustDomain(io.spiffe.spiffeid.TrustDomain.parse("ecomm.local"))
                    .getX509Authorities()).containsExactlyInAnyOrderElementsOf(ca.bundle());
            validate(svid.getChain(), ca.bundle());

            Set<BigInteger> serials = ConcurrentHashMap.newKeySet();
            serials.add(svid.getLeaf().getSerialNumber());
            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(50)).until(() -> {
                var current = source.getX509Svid();
                validate(current.getChain(), ca.bundle());
                assertThat(current.getSpiffeId().toString()).isEqualTo(ORDER);
                serials.add(current.getLeaf().getSerialNumber());
                return serials.size() >= 3;
            });
        }
    }

    @Test
    void afterIntermediateRotationClientGetsSvidOfTheNewIntermediateAndTheOldStillValidates() throws Exception {
        try (DefaultX509Source source = start(Duration.ofSeconds(4))) {
            X509Certificate oldIntermediate = ca.activeIntermediate().certificate();
            List<X509Certificate> before = source.getX509Svid().getChain();
            assertThat(before.get(1)).isEqualTo(oldIntermediate);

            X509Certificate next = ca.rotateIntermediate().certificate();

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> source.getX509Svid().getChain().get(1).equals(next));
            List<X509Certificate> after = source.getX509Svid().getChain();
            validate(after, ca.bundle());
            assertThat(after.get(1)).isNotEqualTo(oldIntermediate);
            List<X509Certificate> old = List.of(before.get(0), oldIntermediate);
            if (before.get(0).getNotAfter().after(new Date())) {
                validate(old, ca.bundle());   // the overlap: the previous intermediate's SVID is still trusted
            } else {
                validateAt(old, ca.bundle(), before.get(0).getNotBefore());
            }
            assertThat(ca.intermediates().stream().map(a -> a.certificate()).toList()).contains(oldIntermediate, next);
        }
    }

    private static void validate(List<X509Certificate> chain, List<X509Certificate> bundle) throws GeneralSecurityException {
        validateAt(chain, bundle, new Date());
    }

    private static void validateAt(List<X509Certificate> chain, List<X509Certificate> bundle, Date date)
            throws GeneralSecurityException {
        Set<TrustAnchor> anchors = bundle.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toSet());
        PKIXParameters parameters = new PKIXParameters(anchors);
        parameters.setRevocationEnabled(false);
        parameters.setDate(date);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
    }
}
