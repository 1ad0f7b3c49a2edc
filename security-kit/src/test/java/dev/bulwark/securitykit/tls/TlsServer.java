package dev.bulwark.securitykit.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A real TLS server on loopback: handshakes each connection, records what it saw, writes one byte
 * and closes. Shared with other modules' tests through security-kit's test jar.
 */
public final class TlsServer implements AutoCloseable {

    /** What the server saw on one connection: the client's SPIFFE ID and leaf serial, or the failure. */
    public record Outcome(@Nullable String clientSpiffeId, @Nullable BigInteger clientSerial, @Nullable Exception failure) {
    }

    private final SSLServerSocket socket;
    private final Thread thread;
    private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

    public TlsServer(SSLContext context, HandshakeFailureListener listener) throws IOException {
        socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        socket.setSSLParameters(SpiffeTls.serverParameters(context));
        thread = Thread.ofPlatform().daemon().name("tls-server").start(() -> serve(listener));
    }

    public int port() {
        return socket.getLocalPort();
    }

    public Outcome nextOutcome() throws InterruptedException {
        Outcome outcome = outcomes.poll(10, TimeUnit.SECONDS);
        if (outcome == null) {
            throw new AssertionError("the server saw no connection");
        }
        return outcome;
    }

    private void serve(HandshakeFailureListener listener) {
        while (!socket.isClosed()) {
            try (SSLSocket connection = (SSLSocket) socket.accept()) {
                connection.setSoTimeout(10_000);
                try {
                    connection.startHandshake();
                    X509Certificate leaf = (X509Certificate) connection.getSession().getPeerCertificates()[0];
                    outcomes.add(new Outcome(SpiffeTls.peerSpiffeId(connection.getSession()).orElse(null),
                            leaf.getSerialNumber(), null));
                } catch (SSLException e) {
                    SpiffeTls.reportServerHandshakeFailure(e, listener);
                    outcomes.add(new Outcome(null, null, e));
                    continue;
                }
                try {
                    connection.getOutputStream().write(1);
                    connection.getOutputStream().flush();
                } catch (IOException e) {
                    // the client went away first; what the handshake showed is recorded already
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    outcomes.add(new Outcome(null, null, e));
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        socket.close();
        thread.join(5_000);
    }
}
