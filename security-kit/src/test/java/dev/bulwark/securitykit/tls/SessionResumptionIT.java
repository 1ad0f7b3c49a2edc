package dev.bulwark.securitykit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.securitykit.tls.RecordingListener.Refusal;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * A resumed session skips the trust manager. With server-side session state (stateless tickets
 * off), a change of the server's bundle invalidates the sessions it holds, so a peer that the new
 * bundle refuses cannot resume its way in.
 */
class SessionResumptionIT {

    private static final String TICKETS = "jdk.tls.server.enableSessionTicketExtension";

    private final TestCa ca = TestCa.create("old root");
    private final RecordingListener serverRefusals = new RecordingListener();
    private final AtomicInteger checks = new AtomicInteger();
    private final MutableSvidSupplier orderSvids = MutableSvidSupplier.of(ca.issue("order"), ca.bundle());

    @Test
    void peerOfARemovedRootCannotResumeItsSessionWhenServerKeepsSessionState() throws Exception {
        try (TlsServer order = new TlsServer(statefulServerContext(), serverRefusals)) {
            SSLContext gateway = SpiffeTls.clientContext(MutableSvidSupplier.of(ca.issue("gateway"), ca.bundle()),
                    SpiffeIdPolicy.anyIn("ecomm.local"), HandshakeFailureListener.NONE);
            exchange(gateway, order);
            exchange(gateway, order);
            assertThat(checks).as("the second connection resumed without a full check").hasValue(1);

            // nothing holds the server's SSLContext object but the server socket's provider; a collection
            // must not stop the bundle change from reaching its session cache
            System.gc();
            orderSvids.updateBundle(TestCa.create("new root").bundle());

            assertThatThrownBy(() -> exchange(gateway, order)).isInstanceOf(IOException.class);
            assertThat(serverRefusals.refusals).containsExactly(new Refusal(RefusalReason.UNTRUSTED_CHAIN, null));
        }
    }

    private SSLContext statefulServerContext() {
        // The JDK reads this once per JVM; failsafe sets it at start-up (security-kit/pom.xml).
        assertThat(System.getProperty(TICKETS)).as(TICKETS).isEqualTo("false");
        return SpiffeTls.serverContext(orderSvids, SpiffeIdPolicy.matching(id -> checks.incrementAndGet() > 0),
                serverRefusals);
    }

    private static void exchange(SSLContext client, TlsServer server) throws Exception {
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                server.port())) {
            socket.setSoTimeout(5_000);
            socket.setSSLParameters(SpiffeTls.clientParameters(client));
            socket.startHandshake();
            if (socket.getInputStream().read() != 1) {
                throw new IOException("refused");
            }
        } finally {
            server.nextOutcome();
        }
    }
}
