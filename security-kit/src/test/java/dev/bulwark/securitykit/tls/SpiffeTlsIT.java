package dev.bulwark.securitykit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.securitykit.tls.RecordingListener.Refusal;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real TLS handshakes over loopback between contexts made by {@link SpiffeTls}. */
class SpiffeTlsIT {

    private static final String ORDER = TestCa.TRUST_DOMAIN + "order";
    private static final String GATEWAY = TestCa.TRUST_DOMAIN + "gateway";

    private final TestCa ca = TestCa.create("ecomm.local root");
    private final RecordingListener serverRefusals = new RecordingListener();
    private final RecordingListener clientRefusals = new RecordingListener();
    private final MutableSvidSupplier orderSvids = MutableSvidSupplier.of(ca.issue("order"), ca.bundle());
    private final TlsServer order;

    SpiffeTlsIT() throws IOException {
        order = new TlsServer(SpiffeTls.serverContext(orderSvids, SpiffeIdPolicy.oneOf(GATEWAY), serverRefusals),
                serverRefusals);
    }

    @AfterEach
    void stop() throws Exception {
        order.close();
    }

    @Test
    void allowedClientConnectsAndServerSeesItsSpiffeId() throws Exception {
        Svid gateway = ca.issue("gateway");
        SSLSocket socket = connect(gatewayClient(MutableSvidSupplier.of(gateway, ca.bundle())));

        assertThat(SpiffeTls.peerSpiffeId(socket.getSession())).contains(ORDER);
        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        TlsServer.Outcome seen = order.nextOutcome();
        assertThat(seen.failure()).isNull();
        assertThat(seen.clientSpiffeId()).isEqualTo(GATEWAY);
        assertThat(seen.clientSerial()).isEqualTo(gateway.leaf().getSerialNumber());
        assertThat(serverRefusals.refusals).isEmpty();
        assertThat(clientRefusals.refusals).isEmpty();
        socket.close();
    }

    @Test
    void allowedClientConnectsOverTls12Too() throws Exception {
        SSLContext client = gatewayClient(MutableSvidSupplier.of(ca.issue("gateway"), ca.bundle()));
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), order.port());
        socket.setSoTimeout(5_000);
        SSLParameters tls12 = SpiffeTls.clientParameters(client);
        tls12.setProtocols(new String[] {"TLSv1.2"});
        socket.setSSLParameters(tls12);
        socket.startHandshake();

        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(socket.getSession().getCipherSuite()).startsWith("TLS_ECDHE_ECDSA_WITH_");
        assertThat(SpiffeTls.peerSpiffeId(socket.getSession())).contains(ORDER);
        readOneByte(socket);
        assertThat(order.nextOutcome().clientSpiffeId()).isEqualTo(GATEWAY);
    }

    @Test
    void clientWithoutCertificateCannotConnect() throws Exception {
        SSLContext anonymous = SSLContext.getInstance("TLS");
        anonymous.init(null, new TrustManager[] {
            SpiffeTls.trustManager(MutableSvidSupplier.of(ca.issue("gateway"), ca.bundle()),
                    SpiffeIdPolicy.oneOf(ORDER), clientRefusals)}, null);

        assertRefused(anonymous, RefusalReason.NO_CERTIFICATE, null);
    }

    @Test
    void clientWithCertificateFromAnotherCaIsRefused() throws Exception {
        Svid foreign = TestCa.create("another root").issue("gateway");

        assertRefused(gatewayClient(MutableSvidSupplier.of(foreign, ca.bundle())), RefusalReason.UNTRUSTED_CHAIN, null);
    }

    @Test
    void clientWithExpiredCertificateIsRefused() throws Exception {
        Svid expired = ca.issueExpired("gateway");

        assertRefused(gatewayClient(MutableSvidSupplier.of(expired, ca.bundle())), RefusalReason.EXPIRED, null);
    }

    @Test
    void clientWhoseSpiffeIdIsNotAllowedIsRefused() throws Exception {
        Svid payment = ca.issue("payment");

        assertRefused(gatewayClient(MutableSvidSupplier.of(payment, ca.bundle())), RefusalReason.SPIFFE_ID_NOT_ALLOWED,
                TestCa.TRUST_DOMAIN + "payment");
    }

    @Test
    void clientRefusesServerWhoseSpiffeIdIsNotTheExpectedOne() throws Exception {
        SSLContext client = SpiffeTls.clientContext(MutableSvidSupplier.of(ca.issue("gateway"), ca.bundle()),
                SpiffeIdPolicy.oneOf(TestCa.TRUST_DOMAIN + "inventory"), clientRefusals);

        assertThatThrownBy(() -> connect(client)).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("spiffe_id_not_allowed");
        assertThat(clientRefusals.refusals).containsExactly(new Refusal(RefusalReason.SPIFFE_ID_NOT_ALLOWED, ORDER));
        assertThat(order.nextOutcome().failure()).isNotNull();
        assertThat(serverRefusals.refusals).isEmpty();
    }

    @Test
    void renewedClientSvidIsPresentedOnTheNextHandshakeWithoutANewContext() throws Exception {
        Svid first = ca.issue("gateway");
        MutableSvidSupplier gatewaySvids = MutableSvidSupplier.of(first, ca.bundle());
        SSLContext client = gatewayClient(gatewaySvids);
        readOneByte(connect(client));
        readOneByte(connect(client));
        assertThat(order.nextOutcome().clientSerial()).isEqualTo(first.leaf().getSerialNumber());
        assertThat(order.nextOutcome().clientSerial()).isEqualTo(first.leaf().getSerialNumber());

        Svid renewed = ca.issue("gateway");
        gatewaySvids.updateSvid(renewed);
        readOneByte(connect(client));

        BigInteger seen = order.nextOutcome().clientSerial();
        assertThat(seen).isEqualTo(renewed.leaf().getSerialNumber()).isNotEqualTo(first.leaf().getSerialNumber());
    }

    @Test
    void renewedServerSvidIsPresentedOnTheNextHandshakeWithoutANewContext() throws Exception {
        SSLContext client = gatewayClient(MutableSvidSupplier.of(ca.issue("gateway"), ca.bundle()));
        BigInteger first = orderSvids.svid().leaf().getSerialNumber();
        assertThat(serverSerialAfterExchange(connect(client))).isEqualTo(first);

        Svid renewed = ca.issue("order");
        orderSvids.updateSvid(renewed);

        assertThat(serverSerialAfterExchange(connect(client)))
                .isEqualTo(renewed.leaf().getSerialNumber()).isNotEqualTo(first);
    }

    @Test
    void afterTheBundleMovesToANewRootAPeerOfTheOldRootIsRefusedAndOneOfTheNewRootAccepted() throws Exception {
        TestCa newCa = TestCa.create("new root");
        // The clients keep trusting the old root: the server's own SVID is still from it.
        MutableSvidSupplier oldSvids = MutableSvidSupplier.of(ca.issue("gateway"), ca.bundle());
        SSLContext newClient = gatewayClient(MutableSvidSupplier.of(newCa.issue("gateway"), ca.bundle()));
        readOneByte(connect(gatewayClient(oldSvids)));
        assertThat(order.nextOutcome().failure()).isNull();

        orderSvids.updateBundle(newCa.bundle());
        // A new context: one holding a TLS 1.3 ticket from before could still resume (see SpiffeTls, Sessions).
        SSLContext oldClient = gatewayClient(oldSvids);

        assertThatThrownBy(() -> readOneByte(connect(oldClient))).isInstanceOf(IOException.class);
        assertThat(order.nextOutcome().failure()).isNotNull();
        assertThat(serverRefusals.refusals).containsExactly(new Refusal(RefusalReason.UNTRUSTED_CHAIN, null));
        readOneByte(connect(newClient));
        assertThat(order.nextOutcome().clientSpiffeId()).isEqualTo(GATEWAY);
    }

    private SSLContext gatewayClient(SvidSupplier svids) {
        return SpiffeTls.clientContext(svids, SpiffeIdPolicy.oneOf(ORDER), clientRefusals);
    }

    private void assertRefused(SSLContext client, RefusalReason reason, String peerSpiffeId) throws Exception {
        assertThatThrownBy(() -> readOneByte(connect(client))).isInstanceOf(IOException.class);

        TlsServer.Outcome seen = order.nextOutcome();
        assertThat(seen.failure()).isInstanceOf(SSLHandshakeException.class);
        assertThat(seen.clientSpiffeId()).isNull();
        if (reason != RefusalReason.NO_CERTIFICATE) {
            assertThat(seen.failure()).hasCauseInstanceOf(PeerRefusedException.class);
            assertThat(seen.failure()).hasStackTraceContaining(reason.code());
        }
        assertThat(serverRefusals.refusals).containsExactly(new Refusal(reason, peerSpiffeId));
        assertThat(clientRefusals.refusals).isEmpty();
    }

    /** Connects and completes the client's side of the handshake. */
    private SSLSocket connect(SSLContext client) throws IOException {
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), order.port());
        socket.setSoTimeout(5_000);
        socket.setSSLParameters(SpiffeTls.clientParameters(client));
        try {
            socket.startHandshake();
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Under TLS 1.3 a client learns that the server refused its certificate only when it reads. */
    private static void readOneByte(SSLSocket socket) throws IOException {
        try (socket) {
            int read = socket.getInputStream().read();
            if (read != 1) {
                throw new IOException("server closed the connection (read " + read + ")");
            }
        }
    }

    private static BigInteger serverSerialAfterExchange(SSLSocket socket) throws IOException {
        BigInteger serial = ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        readOneByte(socket);
        return serial;
    }
}
