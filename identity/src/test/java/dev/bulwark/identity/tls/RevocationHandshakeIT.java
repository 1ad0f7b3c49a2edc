package dev.bulwark.identity.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.identity.ca.TestCsrs;
import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.ca.WorkloadCaSettings;
import dev.bulwark.identity.ca.X509Svid;
import dev.bulwark.identity.revocation.CrlPublisher;
import dev.bulwark.identity.revocation.OcspResponder;
import dev.bulwark.identity.revocation.RevocationHttpServer;
import dev.bulwark.identity.revocation.RevocationReason;
import dev.bulwark.identity.revocation.RevocationStore;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.OcspCrlRevocationChecker;
import dev.bulwark.securitykit.tls.PeerRefusedException;
import dev.bulwark.securitykit.tls.RefusalReason;
import dev.bulwark.securitykit.tls.RevocationChecker;
import dev.bulwark.securitykit.tls.RevocationSettings;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.TlsServer;
import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.securitykit.tls.SvidSupplier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real TLS handshakes through {@link SpiffeTls} with an {@link OcspCrlRevocationChecker} on the server,
 * against a real {@link WorkloadCa} whose SVIDs point at a real {@link RevocationHttpServer} on loopback.
 */
class RevocationHandshakeIT {

    private static final SpiffeId ORDER = SpiffeId.parse("spiffe://ecomm.local/order");
    private static final SpiffeId GATEWAY = SpiffeId.parse("spiffe://ecomm.local/gateway");

    /** Remembers every refusal. */
    static final class Refusals implements HandshakeFailureListener {
        final List<RefusalReason> reasons = new CopyOnWriteArrayList<>();

        @Override
        public void refused(RefusalReason reason, @Nullable String peerSpiffeId) {
            reasons.add(reason);
        }
    }

    private final RevocationStore store = RevocationStore.inMemory();
    private final Refusals serverRefusals = new Refusals();
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final List<KeyPair> keys = new ArrayList<>();
    private WorkloadCa ca;
    private TlsServer order;
    private MutableSvidSupplier orderSvid;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeLater.reversed()) {
            closeable.close();
        }
    }

    @Test
    void validSvidConnectsAndARevokedOneIsRefusedOnAFreshHandshake() throws Exception {
        RevocationHttpServer revocation = startCaWithRevocationServer();
        startOrder(RevocationSettings.defaults().withMaxCacheAge(Duration.ofSeconds(1)));
        X509Svid gateway = issue(GATEWAY);
        Svid gatewaySvid = toSvid(gateway);

        exchange(client(gatewaySvid));
        assertThat(order.nextOutcome().clientSpiffeId()).isEqualTo(GATEWAY.toString());
        assertThat(serverRefusals.reasons).isEmpty();

        store.revoke(gateway.leaf(), RevocationReason.KEY_COMPROMISE, Instant.now());
        Thread.sleep(1_100); // the server's cached "good" (capped at 1 s here) runs out

        assertThat(assertRefused(client(gatewaySvid), RefusalReason.REVOKED).failure())
                .hasStackTraceContaining("(ocsp)");
        assertThat(revocation.port()).isPositive();
    }

    @Test
    void withGarbageFromOcspTheCrlStillRefusesARevokedSvid() throws Exception {
        HttpServer garbage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        garbage.createContext("/", exchange -> {
            byte[] body = "<html>not OCSP</html>".getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "application/ocsp-response");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        garbage.start();
        closeLater.add(() -> garbage.stop(0));
        URI garbageUri = URI.create("http://127.0.0.1:" + garbage.getAddress().getPort() + "/");
        startCaWithRevocationServer(garbageUri);
        startOrder(RevocationSettings.defaults());
        X509Svid good = issue(GATEWAY);
        X509Svid revoked = issue(GATEWAY);
        store.revoke(revoked.leaf(), RevocationReason.KEY_COMPROMISE, Instant.now());

        exchange(client(toSvid(good)));
        assertThat(order.nextOutcome().clientSpiffeId()).isEqualTo(GATEWAY.toString());
        TlsServer.Outcome refused = assertRefused(client(toSvid(revoked)), RefusalReason.REVOKED);
        assertThat(refused.failure()).hasStackTraceContaining("(crl)");
    }

    @Test
    void withTheRevocationServerStoppedAHandshakeIsRefusedAsUnknownWithinTheBound() throws Exception {
        RevocationHttpServer revocation = startCaWithRevocationServer();
        startOrder(RevocationSettings.defaults());
        Svid gateway = toSvid(issue(GATEWAY));
        revocation.close();

        long started = System.nanoTime();
        assertRefused(client(gateway), RefusalReason.REVOCATION_UNKNOWN);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void withARevocationServerThatNeverAnswersAHandshakeIsRefusedAsUnknownWithinTheBound() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); // accepts, never answers
        closeLater.add(silent);
        URI silentUri = URI.create("http://127.0.0.1:" + silent.getLocalPort());
        ca = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT)
                .withRevocationUrls(silentUri, URI.create(silentUri + "/crl")));
        startOrder(RevocationSettings.defaults().withTimeouts(Duration.ofMillis(1_500), Duration.ofMillis(750)));
        Svid gateway = toSvid(issue(GATEWAY));

        long started = System.nanoTime();
        assertRefused(client(gateway), RefusalReason.REVOCATION_UNKNOWN);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_400)).isLessThan(Duration.ofMillis(4_000));
    }

    @Test
    void aClientWithACheckerRefusesARevokedServer() throws Exception {
        startCaWithRevocationServer();
        startOrder(RevocationSettings.defaults());
        store.revoke(orderSvid.svid().leaf(), RevocationReason.KEY_COMPROMISE, Instant.now());
        Refusals clientRefusals = new Refusals();
        SSLContext client = SpiffeTls.clientContext(MutableSvidSupplier.of(toSvid(issue(GATEWAY)), ca.bundle()),
                SpiffeIdPolicy.oneOf(ORDER.toString()), clientRefusals, OcspCrlRevocationChecker.create());

        assertThatThrownBy(() -> exchange(client)).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("revoked");
        assertThat(clientRefusals.reasons).containsExactly(RefusalReason.REVOKED);
    }

    private RevocationHttpServer startCaWithRevocationServer() throws IOException {
        return startCaWithRevocationServer(null);
    }

    /** A CA whose SVIDs point at a revocation server on a free loopback port (OCSP elsewhere when given). */
    private RevocationHttpServer startCaWithRevocationServer(@Nullable URI ocspElsewhere) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        ca = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT)
                .withRevocationUrls(ocspElsewhere != null ? ocspElsewhere : base, URI.create(base + "/crl")));
        RevocationHttpServer server = RevocationHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                new OcspResponder(ca, store, OcspResponder.DEFAULT_VALIDITY, Clock.systemUTC()),
                new CrlPublisher(ca, store, CrlPublisher.DEFAULT_VALIDITY, Clock.systemUTC()));
        closeLater.add(server);
        return server;
    }

    private void startOrder(RevocationSettings settings) throws IOException {
        orderSvid = MutableSvidSupplier.of(toSvid(issue(ORDER)), ca.bundle());
        RevocationChecker checker = OcspCrlRevocationChecker.create(settings);
        order = new TlsServer(SpiffeTls.serverContext(orderSvid, SpiffeIdPolicy.oneOf(GATEWAY.toString()),
                serverRefusals, checker), serverRefusals);
        closeLater.add(order);
    }

    private X509Svid issue(SpiffeId id) {
        return issue(id, TestCsrs.p256());
    }

    private X509Svid issue(SpiffeId id, KeyPair pair) {
        keys.add(pair);
        return ca.issue(TestCsrs.csr(pair), id, List.of("localhost"));
    }

    private Svid toSvid(X509Svid svid) {
        KeyPair pair = keys.stream().filter(k -> k.getPublic().equals(svid.leaf().getPublicKey())).findFirst()
                .orElseThrow();
        return new Svid(pair.getPrivate(), svid.chain());
    }

    /** A new client context each time: nothing to resume, so every connection is a full handshake. */
    private SSLContext client(Svid svid) {
        SvidSupplier svids = MutableSvidSupplier.of(svid, ca.bundle());
        return SpiffeTls.clientContext(svids, SpiffeIdPolicy.oneOf(ORDER.toString()), HandshakeFailureListener.NONE);
    }

    private TlsServer.Outcome assertRefused(SSLContext client, RefusalReason reason) throws Exception {
        assertThatThrownBy(() -> exchange(client)).isInstanceOf(IOException.class);
        TlsServer.Outcome seen = order.nextOutcome();
        assertThat(seen.failure()).isInstanceOf(SSLHandshakeException.class)
                .hasCauseInstanceOf(PeerRefusedException.class)
                .hasStackTraceContaining(reason.code() + ": ");
        assertThat(serverRefusals.reasons).containsExactly(reason);
        return seen;
    }

    /** Handshakes and reads the server's byte (under TLS 1.3 a refused client learns it on reading). */
    private void exchange(SSLContext client) throws IOException {
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), order.port())) {
            socket.setSoTimeout(10_000);
            socket.setSSLParameters(SpiffeTls.clientParameters(client));
            socket.startHandshake();
            int read = socket.getInputStream().read();
            if (read != 1) {
                throw new IOException("server closed the connection (read " + read + ")");
            }
        }
    }
}
