package dev.bulwark.securitykit.boot;

import java.util.Arrays;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import dev.bulwark.securitykit.boot.WorkloadProperties.ClientAuth;
import dev.bulwark.securitykit.tls.SpiffeTls;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;

/**
 * Netty {@link SslContext}s over the JDK contexts of {@link WorkloadTls}: Netty's {@link
 * JdkSslContext} drives the JDK context's engines, so the SVID's key manager and the SPIFFE trust
 * manager do the work, and a renewed SVID is used from the next handshake on.
 *
 * <pre>{@code
 * SslContext toSts = ReactorNettyTls.forClient(workloadTls.clientContext("spiffe://ecomm.local/sts"));
 * HttpClient http = HttpClient.create().secure(spec -> spec.sslContext(toSts));
 * }</pre>
 */
public final class ReactorNettyTls {

    private ReactorNettyTls() {
    }

    /** A client context: TLS 1.3/1.2, SpiffeTls's suites; the server's SPIFFE ID is checked by {@code context}. */
    public static SslContext forClient(SSLContext context) {
        Objects.requireNonNull(context, "context");
        return netty(context, true, SpiffeTls.clientParameters(context), io.netty.handler.ssl.ClientAuth.NONE);
    }

    /** A server context with the given client authentication. */
    public static SslContext forServer(SSLContext context, ClientAuth clientAuth) {
        Objects.requireNonNull(context, "context");
        io.netty.handler.ssl.ClientAuth netty = switch (clientAuth) {
            case NEED -> io.netty.handler.ssl.ClientAuth.REQUIRE;
            case WANT -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
            case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
        };
        return netty(context, false, SpiffeTls.clientParameters(context), netty);
    }

    private static SslContext netty(SSLContext context, boolean client, SSLParameters parameters,
            io.netty.handler.ssl.ClientAuth clientAuth) {
        return new JdkSslContext(context, client, Arrays.asList(parameters.getCipherSuites()),
                IdentityCipherSuiteFilter.INSTANCE, ApplicationProtocolConfig.DISABLED, clientAuth,
                parameters.getProtocols(), false);
    }
}
