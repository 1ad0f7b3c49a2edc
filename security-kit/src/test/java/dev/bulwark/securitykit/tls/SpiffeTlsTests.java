package dev.bulwark.securitykit.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

class SpiffeTlsTests {

    private final TestCa ca = TestCa.create("root");
    private final SSLContext context = SpiffeTls.serverContext(MutableSvidSupplier.of(ca.issue("order"), ca.bundle()),
            SpiffeIdPolicy.anyIn("ecomm.local"), HandshakeFailureListener.NONE);

    @Test
    void serverParametersWhenBuiltThenClientAuthNeededAndOnlyTls13And12WithAeadSuites() {
        SSLParameters parameters = SpiffeTls.serverParameters(context);

        assertThat(parameters.getNeedClientAuth()).isTrue();
        assertThat(parameters.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(parameters.getCipherSuites()).isNotEmpty().allSatisfy(suite -> {
            assertThat(suite).containsAnyOf("_GCM_", "CHACHA20_POLY1305");
            assertThat(suite).doesNotContain("_CBC_", "_RC4_", "NULL", "anon", "_3DES_", "EXPORT");
        });
        assertThat(Arrays.stream(parameters.getCipherSuites()).filter(s -> s.contains("_WITH_")))
                .allSatisfy(suite -> assertThat(suite).startsWith("TLS_ECDHE_"));
    }

    @Test
    void clientParametersWhenBuiltThenNoClientAuthAndNoHostNameCheck() {
        SSLParameters parameters = SpiffeTls.clientParameters(context);

        assertThat(parameters.getNeedClientAuth()).isFalse();
        assertThat(parameters.getEndpointIdentificationAlgorithm()).isNull();
    }

    @Test
    void reportServerHandshakeFailureWhenEmptyClientChainThenNoCertificate() {
        RecordingListener listener = new RecordingListener();

        assertThat(SpiffeTls.reportServerHandshakeFailure(
                new SSLHandshakeException("(bad_certificate) Empty client certificate chain"), listener))
                .contains(RefusalReason.NO_CERTIFICATE);
        assertThat(listener.refusals).containsExactly(new RecordingListener.Refusal(RefusalReason.NO_CERTIFICATE, null));
    }

    @Test
    void reportServerHandshakeFailureWhenTrustManagerRefusedThenNotReportedTwice() {
        RecordingListener listener = new RecordingListener();
        SSLException failure = new SSLHandshakeException("Empty client certificate chain");
        failure.initCause(new PeerRefusedException(RefusalReason.EXPIRED, null, "x", null));

        assertThat(SpiffeTls.reportServerHandshakeFailure(failure, listener)).isEmpty();
        assertThat(SpiffeTls.reportServerHandshakeFailure(new SSLException("Connection reset"), listener)).isEmpty();
        assertThat(listener.refusals).isEmpty();
    }
}
