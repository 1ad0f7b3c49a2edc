package dev.bulwark.securitykit.tls;

import java.lang.ref.WeakReference;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JDK (JSSE) {@link SSLContext}s for mutual TLS between workloads with X.509-SVIDs (SPIFFE
 * X509-SVID §5): the key is the supplier's current SVID, trust is the supplier's current bundle, and
 * the peer's SPIFFE ID must pass a {@link SpiffeIdPolicy}.
 *
 * <pre>{@code
 * SSLContext context = SpiffeTls.serverContext(svids, SpiffeIdPolicy.oneOf("spiffe://ecomm.local/gateway"), listener);
 * SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(port);
 * server.setSSLParameters(SpiffeTls.serverParameters(context));   // need client auth, TLS 1.3/1.2
 * }</pre>
 *
 * <p><b>Sessions.</b> A resumed session skips the trust manager (no chain, expiry or SPIFFE ID check).
 * When the supplier's SVID or bundle changes, every session the context holds is invalidated, and
 * sessions live at most {@link #SESSION_LIFETIME_SECONDS}. A client that changes its own SVID or
 * bundle thus never resumes an old session. A <em>server</em> only holds its sessions when the JDK's
 * stateless tickets are off ({@code -Djdk.tls.server.enableSessionTicketExtension=false}, read when a
 * context is made); with them on (the JDK default) a peer holding a TLS 1.3 ticket issued before a
 * bundle change, or before its SVID expired, can resume within the lifetime bound, which
 * {@link #serverContext} logs once as {@code event=tls.stateless_tickets}.
 *
 * <p><b>Revocation</b> is checked only by the overloads that take a {@link RevocationChecker} (e.g.
 * {@link OcspCrlRevocationChecker#create()}: OCSP with a cache and a CRL fallback, fail closed within
 * a 2 s bound). The overloads without one check no revocation, as before. A resumed session is not
 * re-checked (see Sessions): a certificate revoked after a full handshake stays usable for resumption
 * for at most {@link #SESSION_LIFETIME_SECONDS}.
 */
public final class SpiffeTls {

    /** Upper bound on how long a TLS session or ticket may be resumed. */
    public static final int SESSION_LIFETIME_SECONDS = 300;

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** AEAD suites with forward secrecy only; TLS 1.3 suites first. */
    private static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** What JSSE says when a server that needs a client certificate gets an empty one (JDK 11–25). */
    private static final String JSSE_EMPTY_CLIENT_CHAIN = "Empty client certificate chain";

    private static final Logger log = LoggerFactory.getLogger(SpiffeTls.class);
    private static final AtomicBoolean STATELESS_WARNED = new AtomicBoolean();

    private SpiffeTls() {
    }

    /**
     * A server context: presents the current SVID and accepts clients whose SPIFFE ID {@code
     * allowedClients} accepts. Use it with {@link #serverParameters} (client authentication is
     * <em>needed</em>, not wanted).
     */
    public static SSLContext serverContext(SvidSupplier svids, SpiffeIdPolicy allowedClients,
            HandshakeFailureListener listener) {
        return serverContext(svids, allowedClients, listener, null);
    }

    /**
     * As {@link #serverContext(SvidSupplier, SpiffeIdPolicy, HandshakeFailureListener)}, and refuses a
     * client a certificate of whose chain {@code revocation} finds revoked ({@code revoked}) or cannot
     * decide ({@code revocation_unknown}); {@code null} checks no revocation.
     */
    public static SSLContext serverContext(SvidSupplier svids, SpiffeIdPolicy allowedClients,
            HandshakeFailureListener listener, @Nullable RevocationChecker revocation) {
        if (!"false".equalsIgnoreCase(System.getProperty("jdk.tls.server.enableSessionTicketExtension", "true"))
                && !STATELESS_WARNED.getAndSet(true)) {
            log.info("event=tls.stateless_tickets resumption_unchecked_for_up_to_seconds={}"
                    + " fix=-Djdk.tls.server.enableSessionTicketExtension=false", SESSION_LIFETIME_SECONDS);
        }
        return context(svids, new SpiffeTrustManager(svids, allowedClients, listener, "server", revocation));
    }

    /**
     * A client context: presents the current SVID and accepts a server only if its SPIFFE ID {@code
     * expectedServer} accepts.
     */
    public static SSLContext clientContext(SvidSupplier svids, SpiffeIdPolicy expectedServer,
            HandshakeFailureListener listener) {
        return clientContext(svids, expectedServer, listener, null);
    }

    /** As {@link #clientContext(SvidSupplier, SpiffeIdPolicy, HandshakeFailureListener)}, checking the server's chain for revocation. */
    public static SSLContext clientContext(SvidSupplier svids, SpiffeIdPolicy expectedServer,
            HandshakeFailureListener listener, @Nullable RevocationChecker revocation) {
        return context(svids, new SpiffeTrustManager(svids, expectedServer, listener, "client", revocation));
    }

    /** Server parameters: client authentication needed, TLS 1.3 and 1.2, AEAD forward-secret suites. */
    public static SSLParameters serverParameters(SSLContext context) {
        SSLParameters parameters = clientParameters(context);
        parameters.setNeedClientAuth(true);
        return parameters;
    }

    /** Client parameters: TLS 1.3 and 1.2, AEAD forward-secret suites, no host name check (the SPIFFE ID is checked). */
    public static SSLParameters clientParameters(SSLContext context) {
        SSLParameters supported = context.getSupportedSSLParameters();
        Set<String> suites = Set.of(supported.getCipherSuites());
        Set<String> protocols = Set.of(supported.getProtocols());
        SSLParameters parameters = new SSLParameters(
                CIPHER_SUITES.stream().filter(suites::contains).toArray(String[]::new),
                PROTOCOLS.stream().filter(protocols::contains).toArray(String[]::new));
        parameters.setUseCipherSuitesOrder(true);
        return parameters;
    }

    /** The key manager alone, for TLS stacks that take one (Netty, Tomcat): always the current SVID. */
    public static X509ExtendedKeyManager keyManager(SvidSupplier svids) {
        return new ReloadingKeyManager(svids);
    }

    /** The trust manager alone, for TLS stacks that take one: the checks of {@link #serverContext}. */
    public static X509ExtendedTrustManager trustManager(SvidSupplier svids, SpiffeIdPolicy policy,
            HandshakeFailureListener listener) {
        return trustManager(svids, policy, listener, null);
    }

    /** The trust manager alone, with revocation checking when {@code revocation} is not null. */
    public static X509ExtendedTrustManager trustManager(SvidSupplier svids, SpiffeIdPolicy policy,
            HandshakeFailureListener listener, @Nullable RevocationChecker revocation) {
        return new SpiffeTrustManager(svids, policy, listener, "peer", revocation);
    }

    /**
     * The SPIFFE ID a certificate carries (X509-SVID §2): its only URI SAN, when that is a {@code
     * spiffe://} URI; empty otherwise (no URI SAN, several, or not SPIFFE). The certificate is not
     * validated.
     */
    public static Optional<String> spiffeIdOf(X509Certificate certificate) {
        return Optional.ofNullable(SpiffeTrustManager.spiffeIdOf(Objects.requireNonNull(certificate, "certificate")));
    }

    /**
     * The trust-domain name of a SPIFFE ID: {@code ecomm.local} for {@code spiffe://ecomm.local/order}.
     *
     * @throws IllegalArgumentException when {@code spiffeId} is not a {@code spiffe://} ID
     */
    public static String trustDomainOf(String spiffeId) {
        Objects.requireNonNull(spiffeId, "spiffeId");
        if (!spiffeId.toLowerCase(java.util.Locale.ROOT).startsWith("spiffe://") || spiffeId.length() <= "spiffe://".length()
                || spiffeId.charAt("spiffe://".length()) == '/') {
            throw new IllegalArgumentException("spiffeId: " + spiffeId + " (expected: spiffe://<trust-domain>/<path>)");
        }
        return SpiffeTrustManager.trustDomainOf(spiffeId);
    }

    /** The SPIFFE ID of the peer of an established session, if it presented an SVID. */
    public static Optional<String> peerSpiffeId(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf
                    ? Optional.ofNullable(SpiffeTrustManager.spiffeIdOf(leaf))
                    : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /**
     * Reports a server-side handshake failure that the trust manager never saw. With client
     * authentication needed, JSSE itself refuses a client that sends no certificate, before any trust
     * manager runs; a server calls this with the handshake's exception so that the refusal is logged
     * and counted as {@code no_certificate}. Refusals the trust manager made (already reported) and
     * other failures are left alone.
     *
     * @return the reason reported, if any
     */
    public static Optional<RefusalReason> reportServerHandshakeFailure(SSLException failure,
            HandshakeFailureListener listener) {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(listener, "listener");
        List<Throwable> seen = new ArrayList<>();
        for (Throwable t = failure; t != null && !seen.contains(t); t = t.getCause()) {
            seen.add(t);
            if (t instanceof PeerRefusedException) {
                return Optional.empty();
            }
        }
        String message = failure.getMessage();
        if (message != null && message.contains(JSSE_EMPTY_CLIENT_CHAIN)) {
            SpiffeTrustManager.report(RefusalReason.NO_CERTIFICATE, null, "the peer sent no certificate", null,
                    "server", listener);
            return Optional.of(RefusalReason.NO_CERTIFICATE);
        }
        return Optional.empty();
    }

    private static SSLContext context(SvidSupplier svids, SpiffeTrustManager trustManager) {
        Objects.requireNonNull(svids, "svids");
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new ReloadingKeyManager(svids)}, new TrustManager[] {trustManager}, null);
            context.getClientSessionContext().setSessionTimeout(SESSION_LIFETIME_SECONDS);
            context.getServerSessionContext().setSessionTimeout(SESSION_LIFETIME_SECONDS);
            // Weakly: a supplier outlives the contexts made from it and must not keep them alive. The
            // session caches, not the SSLContext: a server socket or engine keeps the provider's context
            // (and its caches) alive without holding the SSLContext wrapper, which may be collected.
            WeakReference<SSLSessionContext> clientSessions = new WeakReference<>(context.getClientSessionContext());
            WeakReference<SSLSessionContext> serverSessions = new WeakReference<>(context.getServerSessionContext());
            svids.addChangeListener(() -> {
                invalidateAll(clientSessions.get());
                invalidateAll(serverSessions.get());
            });
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }

    private static void invalidateAll(@Nullable SSLSessionContext sessions) {
        if (sessions == null) {
            return;
        }
        for (byte[] id : Collections.list(sessions.getIds())) {
            SSLSession session = sessions.getSession(id);
            if (session != null) {
                session.invalidate();
            }
        }
    }
}
