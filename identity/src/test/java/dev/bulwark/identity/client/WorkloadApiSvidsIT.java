package dev.bulwark.identity.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.ca.WorkloadCaSettings;
import dev.bulwark.identity.issuance.CaSvidSource;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.identity.workload.WorkloadApiServer;
import dev.bulwark.identity.workload.WorkloadRegistry;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.TlsServer;
import dev.bulwark.securitykit.workload.WorkloadApiSvids;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * security-kit's Workload API client ({@link WorkloadApiSvids}) against the real identity server on a
 * Unix socket: the first SVID, renewals told to listeners, a late registration, and TLS that follows.
 */
class WorkloadApiSvidsIT {

    private static final String ORDER = "spiffe://ecomm.local/order";
    private static final long THIS_PROCESS = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private final WorkloadRegistry registry = new WorkloadRegistry();
    private WorkloadCa ca;
    private CaSvidSource svids;
    private WorkloadApiServer server;

    private void start(Duration svidLifetime) {
        ca = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.parse("ecomm.local")).withSvidLifetime(svidLifetime));
        svids = CaSvidSource.start(ca);
        server = WorkloadApiServer.start(dir.resolve("agent.sock"), registry, svids);
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
    void firstSvidThenRenewalsReachTheListeners() {
        start(Duration.ofSeconds(3));
        registry.register(THIS_PROCESS, SpiffeId.parse(ORDER));
        try (WorkloadApiSvids client = WorkloadApiSvids.connect(server.socket(), Duration.ofSeconds(10))) {
            assertThat(client.spiffeId()).isEqualTo(ORDER);
            assertThat(client.bundle()).containsExactlyInAnyOrderElementsOf(ca.bundle());
            assertThat(client.svid().chain()).hasSize(2);
            BigInteger first = client.svid().leaf().getSerialNumber();
            AtomicInteger changes = new AtomicInteger();
            client.addChangeListener(changes::incrementAndGet);

            await().atMost(Duration.ofSeconds(8)).until(() -> changes.get() >= 1);
            assertThat(client.svid().leaf().getSerialNumber()).isNotEqualTo(first);
            assertThat(client.updates()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aWorkloadRegisteredAfterItConnectedGetsItsSvid() throws Exception {
        start(Duration.ofMinutes(5));
        Thread registrar = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            registry.register(THIS_PROCESS, SpiffeId.parse(ORDER));
        });
        try (WorkloadApiSvids client = WorkloadApiSvids.connect(server.socket(), Duration.ofSeconds(15))) {
            assertThat(client.spiffeId()).isEqualTo(ORDER);
        }
        registrar.join();
    }

    @Test
    void anUnregisteredWorkloadTimesOutWithAClearError() {
        start(Duration.ofMinutes(5));
        assertThatThrownBy(() -> WorkloadApiSvids.connect(server.socket(), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no X.509-SVID from the Workload API at " + server.socket());
    }

    @Test
    void mutualTlsBetweenTwoContextsFedByTheWorkloadApi() throws Exception {
        start(Duration.ofMinutes(5));
        registry.register(THIS_PROCESS, SpiffeId.parse(ORDER));
        try (WorkloadApiSvids client = WorkloadApiSvids.connect(server.socket(), Duration.ofSeconds(10));
             TlsServer tls = new TlsServer(SpiffeTls.serverContext(client, SpiffeIdPolicy.oneOf(ORDER),
                     HandshakeFailureListener.NONE), HandshakeFailureListener.NONE)) {
            SSLContext context = SpiffeTls.clientContext(client, SpiffeIdPolicy.oneOf(ORDER), HandshakeFailureListener.NONE);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), tls.port())) {
                socket.setSoTimeout(10_000);
                socket.setSSLParameters(SpiffeTls.clientParameters(context));
                socket.startHandshake();
                assertThat(socket.getInputStream().read()).isEqualTo(1);
            }
            TlsServer.Outcome outcome = tls.nextOutcome();
            assertThat(outcome.clientSpiffeId()).isEqualTo(ORDER);
            assertThat(outcome.clientSerial()).isEqualTo(client.svid().leaf().getSerialNumber());
        }
    }
}
