package dev.bulwark.identity.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.identity.ca.TestCsrs;
import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.ca.WorkloadCaSettings;
import dev.bulwark.identity.ca.X509Svid;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.securitykit.pki.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The revocation server against the real {@code openssl} client. */
class OpensslRevocationIT {

    private static final SpiffeId ORDER = SpiffeId.parse("spiffe://ecomm.local/order");

    @TempDir
    Path dir;

    private WorkloadCa ca;
    private RevocationStore store;
    private RevocationHttpServer server;
    private Path root;

    @BeforeEach
    void start() throws IOException {
        ca = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.DEFAULT));
        store = RevocationStore.inMemory();
        server = RevocationHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new OcspResponder(ca, store, Duration.ofMinutes(5), Clock.systemUTC()),
                new CrlPublisher(ca, store, Duration.ofMinutes(10), Clock.systemUTC()));
        root = write("root.pem", ca.bundlePem());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void opensslOcspWhenValidSvidThenGood() throws Exception {
        X509Svid svid = ca.issue(TestCsrs.csr(), ORDER, List.of("localhost"));

        String out = opensslOcsp(svid);

        assertThat(out).contains("Response verify OK").contains("leaf.pem: good").contains("Next Update:")
                .doesNotContain("WARNING");
    }

    @Test
    void opensslOcspWhenRevokedSvidThenRevoked() throws Exception {
        X509Svid svid = ca.issue(TestCsrs.csr(), ORDER, List.of());
        store.revoke(svid.leaf(), RevocationReason.KEY_COMPROMISE, Instant.now());

        String out = opensslOcsp(svid);

        assertThat(out).contains("Response verify OK").contains("leaf.pem: revoked").contains("Reason: keyCompromise")
                .doesNotContain("WARNING");
    }

    @Test
    void opensslOcspWhenOldIntermediateAfterRotationThenAnsweredByIt() throws Exception {
        X509Svid before = ca.issue(TestCsrs.csr(), ORDER, List.of());
        ca.rotateIntermediate();
        store.revoke(before.leaf(), RevocationReason.SUPERSEDED, Instant.now());

        assertThat(opensslOcsp(before)).contains("Response verify OK").contains("leaf.pem: revoked");
    }

    @Test
    void opensslCrlWhenRevokedThenListsSerialAndVerifies() throws Exception {
        X509Svid revoked = ca.issue(TestCsrs.csr(), ORDER, List.of());
        X509Svid valid = ca.issue(TestCsrs.csr(), ORDER, List.of());
        store.revoke(revoked.leaf(), RevocationReason.KEY_COMPROMISE, Instant.now());
        HttpResponse<byte[]> response = get(server.uri().resolve("/crl"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
        Path crl = dir.resolve("crl.der");
        Files.write(crl, response.body());
        Path chain = write("chain.pem", Pem.encode(revoked.issuer()) + ca.bundlePem());

        String text = run("openssl", "crl", "-inform", "DER", "-in", crl.toString(), "-noout", "-text", "-CAfile", chain.toString());

        assertThat(text).contains("verify OK").contains("Next Update:").contains("X509v3 CRL Number:")
                .contains("Serial Number: " + opensslHex(revoked.serialNumber().toString(16)))
                .doesNotContain(opensslHex(valid.serialNumber().toString(16)))
                .contains("Key Compromise");
        Path pemCrl = write("crl.pem", "-----BEGIN X509 CRL-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(response.body())
                + "\n-----END X509 CRL-----\n");
        Path untrusted = write("inter.pem", Pem.encode(revoked.issuer()));
        String revokedVerify = run("openssl", "verify", "-crl_check", "-CAfile", root.toString(), "-untrusted",
                untrusted.toString(), "-CRLfile", pemCrl.toString(), write("r.pem", Pem.encode(revoked.leaf())).toString());
        String validVerify = run("openssl", "verify", "-crl_check", "-CAfile", root.toString(), "-untrusted",
                untrusted.toString(), "-CRLfile", pemCrl.toString(), write("v.pem", Pem.encode(valid.leaf())).toString());
        assertThat(revokedVerify).contains("certificate revoked");
        assertThat(validVerify).contains(": OK");
    }

    @Test
    void httpGetWhenBase64RequestThenOcspResponse() throws Exception {
        X509Svid svid = ca.issue(TestCsrs.csr(), ORDER, List.of());
        store.revoke(svid.leaf(), RevocationReason.UNSPECIFIED, Instant.now());
        String encoded = URLEncoder.encode(Base64.getEncoder().encodeToString(
                OcspClients.request(svid.issuer(), svid.serialNumber(), new byte[0]).getEncoded()), StandardCharsets.US_ASCII);

        HttpResponse<byte[]> response = get(server.uri().resolve("/ocsp/" + encoded));

        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(response.body()).getResponseObject();
        assertThat(basic.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
    }

    @Test
    void httpPostWhenWrongContentTypeThenUnsupportedMediaType() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri().resolve("/"))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(415);
        }
    }

    @Test
    void httpGetWhenUnknownCrlKeyIdThenNotFound() throws Exception {
        assertThat(get(server.uri().resolve("/crl/" + "ab".repeat(20))).statusCode()).isEqualTo(404);
        assertThat(get(server.uri().resolve("/crl/..%2f..%2fetc")).statusCode()).isEqualTo(404);
    }

    private String opensslOcsp(X509Svid svid) throws Exception {
        Path issuer = write("inter.pem", Pem.encode(svid.issuer()));
        Path leaf = write("leaf.pem", Pem.encode(svid.leaf()));
        return run("openssl", "ocsp", "-issuer", issuer.toString(), "-cert", leaf.toString(),
                "-url", server.uri().toString(), "-CAfile", root.toString(), "-timeout", "10");
    }

    private static String opensslHex(String hex) {
        return (hex.length() % 2 == 1 ? "0" + hex : hex).toUpperCase(Locale.ROOT);
    }

    private HttpResponse<byte[]> get(URI uri) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
    }

    private String run(String... command) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).directory(dir.toFile()).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(output, StandardCharsets.UTF_8);
    }
}
