package dev.bulwark.securitykit.boot;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Objects;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import org.jspecify.annotations.Nullable;

/**
 * A JDK {@link SSLContext} that is another one, except that its server engines report handshake
 * failures the trust manager never saw ({@link ReportingSslEngine}). Tomcat and Netty both drive
 * {@link SSLEngine}s and neither offers a hook on a failed handshake, so the engine is the one place
 * both pass through.
 */
final class ReportingSslContext extends SSLContext {

    private ReportingSslContext(SSLContext delegate, HandshakeFailureListener listener) {
        super(new Spi(delegate, listener), delegate.getProvider(), delegate.getProtocol());
    }

    static SSLContext wrap(SSLContext delegate, HandshakeFailureListener listener) {
        return new ReportingSslContext(Objects.requireNonNull(delegate, "delegate"),
                Objects.requireNonNull(listener, "listener"));
    }

    private static final class Spi extends SSLContextSpi {

        private final SSLContext delegate;
        private final HandshakeFailureListener listener;

        Spi(SSLContext delegate, HandshakeFailureListener listener) {
            this.delegate = delegate;
            this.listener = listener;
        }

        @Override
        protected void engineInit(KeyManager @Nullable [] km, TrustManager @Nullable [] tm, @Nullable SecureRandom sr)
                throws KeyManagementException {
            throw new KeyManagementException("already initialized: the SVID's key and trust managers are fixed");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return new ReportingSslEngine(delegate.createSSLEngine(), listener);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return new ReportingSslEngine(delegate.createSSLEngine(host, port), listener);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }
}
