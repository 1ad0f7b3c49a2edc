package dev.bulwark.e2e;

import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.SvidSupplier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A raw TLS client for an internal (mTLS-only) port: it makes a full handshake, sends one HTTP
 * request and reads the status line. With TLS 1.3 the server's verdict on the client certificate
 * arrives after the client's handshake is done, so a refusal shows as an alert when reading.
 */
final class InternalPort {

    /**
     * What came back: the HTTP status line, or the failure that ended the connection.
     *
     * @param statusLine e.g. {@code HTTP/1.1 401}; empty when refused
     * @param failure what the client saw when it was refused
     */
    record Outcome(Optional<String> statusLine, Optional<IOException> failure) {

        boolean refused() {
            return statusLine.isEmpty();
        }

        @Override
        public String toString() {
            return statusLine.map(s -> "answered " + s).orElseGet(() -> "refused: " + failure.map(Throwable::toString).orElse("?"));
        }
    }

    private InternalPort() {
    }

    /** A client that presents {@code svids} and expects the server to be {@code spiffe://ecomm.local/<server>}. */
    static SSLContext client(SvidSupplier svids, String server) {
        return SpiffeTls.clientContext(svids, SpiffeIdPolicy.oneOf("spiffe://ecomm.local/" + server), HandshakeFailureListener.NONE);
    }

    /** Connects to 127.0.0.1:{@code port}, sends {@code GET path} and reads the status line. */
    static Outcome get(SSLContext context, int port, String path) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.setSSLParameters(SpiffeTls.clientParameters(context));
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\r' && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            if (line.isEmpty()) {
                return new Outcome(Optional.empty(), Optional.of(new IOException("connection closed without an answer")));
            }
            String[] parts = line.toString().split(" ");
            return new Outcome(Optional.of(parts[0] + " " + (parts.length > 1 ? parts[1] : "")), Optional.empty());
        } catch (IOException e) {
            return new Outcome(Optional.empty(), Optional.of(e));
        }
    }
}
