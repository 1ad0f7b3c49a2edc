package dev.bulwark.securitykit.boot;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;

import dev.bulwark.securitykit.tls.SvidSupplier;
import org.apache.tomcat.util.net.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The SVID's JDK {@link javax.net.ssl.SSLContext} in Tomcat's {@link SSLContext} interface. Tomcat
 * uses a context set with {@code SSLHostConfigCertificate.setSslContext} instead of building one
 * from a key store, and asks it for one engine per connection; the context's key manager always
 * returns the current SVID, so one context serves every renewal.
 */
final class TomcatSvidSslContext implements SSLContext {

    private final javax.net.ssl.SSLContext context;
    private final SvidSupplier svids;

    TomcatSvidSslContext(javax.net.ssl.SSLContext context, SvidSupplier svids) {
        this.context = context;
        this.svids = svids;
    }

    /** Already initialized from the SVID; Tomcat calls this only on contexts it made itself. */
    @Override
    public void init(KeyManager @Nullable [] kms, TrustManager @Nullable [] tms, @Nullable SecureRandom sr) {
    }

    @Override
    public void destroy() {
    }

    @Override
    public SSLSessionContext getServerSessionContext() {
        return context.getServerSessionContext();
    }

    @Override
    public SSLEngine createSSLEngine() {
        return context.createSSLEngine();
    }

    @Override
    public SSLServerSocketFactory getServerSocketFactory() {
        return context.getServerSocketFactory();
    }

    @Override
    public SSLParameters getSupportedSSLParameters() {
        return context.getSupportedSSLParameters();
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return svids.svid().chain().toArray(X509Certificate[]::new);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return svids.bundle().toArray(X509Certificate[]::new);
    }
}
