package dev.bulwark.identity.tls;

import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.SpiffeTls;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/** A real TLS server on loopback (a copy of security-kit's test helper): handshakes, writes one byte, closes. */
final class TlsServer implements AutoCloseable {

    /** What the server saw on one connection: the client's SPIFFE ID, or the failure. */
    record Outcome(@Nullable String clientSpiffeId, @Nullable Exception failure) {
    }

    private final SSLServerSocket socket;
    private final Thread thread;
    private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

    TlsServer(SSLContext context, HandshakeFailureListener listener) throws IOException {
        socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        socket.setSSLParameters(SpiffeTls.serverParameters(context));
        thread = Thread.ofPlatform().daemon().name("tls-server").start(() -> serve(listener));
    }

    int port() {
        return socket.getLocalPort();
    }

    Outcome nextOutcome() throws InterruptedException {
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
                    outcomes.add(new Outcome(SpiffeTls.peerSpiffeId(connection.getSession()).orElse(null), null));
                } catch (SSLException e) {
                    SpiffeTls.reportServerHandshakeFailure(e, listener);
                    outcomes.add(new Outcome(null, e));
                    continue;
                }
                try {
                    connection.getOutputStream().write(1);
                    connection.getOutputStream().flush();
                } catch (IOException e) {
                    // the client went away first
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    outcomes.add(new Outcome(null, e));
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
