package dev.bulwark.securitykit.boot;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.jspecify.annotations.Nullable;

/**
 * A raw TLS client: one handshake, one {@code GET}, the response and the server's leaf, or the
 * failure. Shared with the components' tests through this module's test jar.
 */
public final class TlsProbe {

    public record Result(@Nullable String response, @Nullable X509Certificate serverLeaf, @Nullable Exception failure) {

        public boolean ok() {
            return response != null && response.startsWith("HTTP/1.1 200");
        }
    }

    private TlsProbe() {
    }

    public static Result get(SSLContext context, int port, String path, String... protocols) {
        return get(context, port, path, java.util.Map.of(), protocols);
    }

    public static Result get(SSLContext context, int port, String path, java.util.Map<String, String> headers,
            String... protocols) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            if (protocols.length > 0) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setProtocols(protocols);
                socket.setSSLParameters(parameters);
            }
            socket.startHandshake();
            X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Result(response.isEmpty() ? null : response, leaf, null);
        } catch (IOException e) {
            return new Result(null, null, e);
        }
    }

    /** A context with no client certificate that trusts {@code roots}. */
    public static SSLContext anonymous(List<X509Certificate> roots) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < roots.size(); i++) {
                trust.setCertificateEntry("root" + i, roots.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
