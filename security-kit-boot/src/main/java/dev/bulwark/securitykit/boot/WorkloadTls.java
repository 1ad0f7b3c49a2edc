package dev.bulwark.securitykit.boot;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import dev.bulwark.securitykit.boot.WorkloadProperties.ClientAuth;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.RevocationChecker;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.SvidSupplier;
import org.jspecify.annotations.Nullable;

/**
 * TLS contexts made from this workload's SVID (SPIFFE X509-SVID §5): each presents the current SVID,
 * trusts the current bundle, logs and counts refused peers ({@link TlsRefusals}), and checks
 * revocation when {@code bulwark.workload.revocation.enabled}. A renewed SVID or a changed bundle is
 * used from the next handshake on, so a context is made once and kept.
 *
 * <pre>{@code
 * SSLContext toOrder = workloadTls.clientContext("spiffe://ecomm.local/order");
 * HttpClient http = HttpClient.create().secure(spec -> spec.sslContext(ReactorNettyTls.forClient(toOrder)));
 * }</pre>
 */
public final class WorkloadTls {

    private final SvidSupplier svids;
    private final WorkloadProperties.Server server;
    private final TlsRefusals refusals;
    private final @Nullable RevocationChecker revocation;
    private final AtomicBoolean serving = new AtomicBoolean();

    WorkloadTls(SvidSupplier svids, WorkloadProperties.Server server, TlsRefusals refusals,
            @Nullable RevocationChecker revocation) {
        this.svids = Objects.requireNonNull(svids, "svids");
        this.server = Objects.requireNonNull(server, "server");
        this.refusals = Objects.requireNonNull(refusals, "refusals");
        this.revocation = revocation;
    }

    /**
     * A client context that accepts a server only if its SPIFFE ID is one of {@code
     * expectedServerSpiffeIds}; a new context on each call (make it once per destination).
     */
    public SSLContext clientContext(String... expectedServerSpiffeIds) {
        if (expectedServerSpiffeIds.length == 0) {
            throw new IllegalArgumentException("expectedServerSpiffeIds: [] (expected: at least one SPIFFE ID)");
        }
        return SpiffeTls.clientContext(svids, SpiffeIdPolicy.oneOf(List.of(expectedServerSpiffeIds)), refusals,
                revocation);
    }

    /**
     * The server context: accepts the clients of {@code bulwark.workload.server.allowed-clients}. Its
     * engines also report a handshake the trust manager never saw (a client that sent no
     * certificate when one is needed) as {@code no_certificate}. Client authentication is set by the
     * server that uses it ({@link #serverParameters}).
     */
    public SSLContext serverContext() {
        SpiffeIdPolicy allowed = server.allowedClients().isEmpty()
                ? SpiffeIdPolicy.matching(id -> false)
                : SpiffeIdPolicy.oneOf(server.allowedClients());
        return ReportingSslContext.wrap(SpiffeTls.serverContext(svids, allowed, refusals, revocation), refusals);
    }

    /** TLS 1.3 and 1.2, SpiffeTls's AEAD suites, and the configured client authentication. */
    public SSLParameters serverParameters(SSLContext context) {
        SSLParameters parameters = SpiffeTls.clientParameters(context);
        switch (server.clientAuth()) {
            case NEED -> parameters.setNeedClientAuth(true);
            case WANT -> parameters.setWantClientAuth(true);
            case NONE -> parameters.setNeedClientAuth(false);
        }
        return parameters;
    }

    /** Called by the web server customizers once the server is set up to serve the SVID. */
    void markServing() {
        serving.set(true);
    }

    /** Whether a web server of this application serves the SVID. */
    boolean serving() {
        return serving.get();
    }

    /** The configured client authentication of the server. */
    public ClientAuth clientAuth() {
        return server.clientAuth();
    }

    /** Where the SVID and bundle come from. */
    public SvidSupplier svids() {
        return svids;
    }

    /** The listener every context reports refusals to. */
    public HandshakeFailureListener listener() {
        return refusals;
    }
}
