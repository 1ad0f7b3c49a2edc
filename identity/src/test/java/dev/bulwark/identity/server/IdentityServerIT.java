package dev.bulwark.identity.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.identity.ca.TestCsrs;
import dev.bulwark.identity.ca.X509Svid;
import dev.bulwark.identity.revocation.FileRevocationStore;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.securitykit.audit.HashChainedLog;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.Svid;
import io.spiffe.workloadapi.DefaultX509Source;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity process started in-process on a temporary home with free ports: the Workload API to a
 * java-spiffe client registered through the registrations file, the admin API over real mTLS, OCSP
 * over real HTTP, and the files it keeps.
 */
class IdentityServerIT {

    private static final String ORDER = "spiffe://ecomm.local/order";
    private static final String ADMIN = "spiffe://ecomm.local/admin";
    private static final long THIS_PROCESS = ProcessHandle.current().pid();

    @TempDir
    Path home;

    private IdentityServer server;
    private final HttpClient plain = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(home.resolve("identity"));
        Files.writeString(home.resolve("identity/registrations"), THIS_PROCESS + " " + ORDER + "\n");
        server = IdentityServer.start(settings());
    }

    private IdentityServerSettings settings() throws IOException {
        return settings("--bulwark.identity.svid-lifetime=PT5M");
    }

    private IdentityServerSettings settings(String... extra) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("--bulwark.home=" + home,
                "--bulwark.identity.revocation-port=" + freePort(), "--server.port=0", "--management.server.port=0"));
        args.addAll(List.of(extra));
        return IdentityServerSettings.parse(args);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthIsUpAndMetricsAreExposed() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");

        HttpResponse<String> metrics = get("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("bulwark_identity_svids_issued_total", "bulwark_identity_revocations_total",
                "bulwark_identity_intermediate_rotations_total", "bulwark_identity_intermediate_expiry_seconds",
                "bulwark_identity_root_rotations_total 0.0");
        assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
    }

    @Test
    void bundleAndRootAreWrittenUnderHome() throws Exception {
        assertThat(readCertificates(home.resolve("pki/bundle.pem"))).containsExactlyElementsOf(server.ca().bundle());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("pki/workload-root-key.pem"))))
                .isEqualTo("rw-------");
    }

    @Test
    void workloadRegisteredInFileGetsSvidChainedToBundleFile() throws Exception {
        try (DefaultX509Source source = x509Source()) {
            assertThat(source.getX509Svid().getSpiffeId().toString()).isEqualTo(ORDER);
            validate(source.getX509Svid().getChain(), readCertificates(home.resolve("pki/bundle.pem")));
        }
    }

    @Test
    void workloadRegisteredAfterStartGetsSvid() throws Exception {
        Files.writeString(home.resolve("identity/registrations"), "");
        server.close();
        server = IdentityServer.start(settings());

        Path tmp = Files.writeString(home.resolve("identity/registrations.tmp"), THIS_PROCESS + " " + ORDER + "\n");
        Files.move(tmp, home.resolve("identity/registrations"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            try (DefaultX509Source source = x509Source(Duration.ofSeconds(3))) {
                assertThat(source.getX509Svid().getSpiffeId().toString()).isEqualTo(ORDER);
            }
        });
    }

    @Test
    void clientWithoutCertificateCannotConnectToAdminApi() throws Exception {
        SSLContext noCertificate = SSLContext.getInstance("TLS");
        noCertificate.init(null, new TrustManager[] {SpiffeTls.trustManager(adminSvids(), identityOnly(), HandshakeFailureListener.NONE)}, null);

        assertThatThrownBy(() -> adminPost(noCertificate, "/admin/status", "")).isInstanceOf(IOException.class);
    }

    @Test
    void validSvidThatIsNotAdminIsRefusedInTheHandshake() throws Exception {
        MutableSvidSupplier order = svids(ORDER);
        SSLContext tls = SpiffeTls.clientContext(order, identityOnly(), HandshakeFailureListener.NONE);

        assertThatThrownBy(() -> adminPost(tls, "/admin/revocations", "{\"serial\":\"1\"}")).isInstanceOf(IOException.class);
    }

    @Test
    void adminRevokesAnIssuedSvidAndOcspAnswersRevoked() throws Exception {
        SSLContext tls = SpiffeTls.clientContext(adminSvids(), identityOnly(), HandshakeFailureListener.NONE);
        try (DefaultX509Source source = x509Source()) {
            X509Certificate leaf = source.getX509Svid().getLeaf();
            X509Certificate intermediate = source.getX509Svid().getChain().get(1);
            String serial = leaf.getSerialNumber().toString(16);
            assertThat(ocspStatus(intermediate, leaf.getSerialNumber())).isNull();   // good

            HttpResponse<String> revoked = adminPost(tls, "/admin/revocations", "{\"serial\":\"" + serial + "\",\"reason\":\"keyCompromise\"}");

            assertThat(revoked.statusCode()).isEqualTo(201);
            assertThat(revoked.body()).contains("\"serial\":\"" + serial + "\"", "\"spiffe_id\":\"" + ORDER + "\"", "keyCompromise");
            assertThat(ocspStatus(intermediate, leaf.getSerialNumber())).isInstanceOfSatisfying(RevokedStatus.class,
                    r -> assertThat(r.getRevocationReason()).isEqualTo(1));
            assertThat(adminPost(tls, "/admin/revocations", "{\"serial\":\"" + serial + "\"}").statusCode()).isEqualTo(200);
            assertThat(FileRevocationStore.open(home.resolve("identity/revocations"))
                    .find(intermediate.getSubjectX500Principal(), leaf.getSerialNumber())).isPresent();
            assertThat(get("/actuator/prometheus").body()).contains("bulwark_identity_revocations_total 1.0");
            // the issue and the revocation are security events in the identity's hash-chained audit log
            Path audit = home.resolve("audit/identity.log");
            assertThat(Files.readString(audit)).contains("event=svid_issued spiffe_id=" + ORDER,
                    "event=svid_revoked spiffe_id=" + ORDER + " serial=" + serial + " reason=keyCompromise");
            assertThat(HashChainedLog.verify(audit).intact()).isTrue();
        }
    }

    @Test
    void adminApiRefusesBadRequests() throws Exception {
        SSLContext tls = SpiffeTls.clientContext(adminSvids(), identityOnly(), HandshakeFailureListener.NONE);

        HttpResponse<String> unknown = adminPost(tls, "/admin/revocations", "{\"serial\":\"abc123\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"error\":\"not_found\"", "abc123");
        HttpResponse<String> badJson = adminPost(tls, "/admin/revocations", "{serial:");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(badJson.body()).contains("\"error\":\"invalid_request\"");
        assertThat(adminPost(tls, "/admin/revocations", "{\"serial\":\"xyz\"}").statusCode()).isEqualTo(400);
        assertThat(adminPost(tls, "/admin/revocations", "{\"serial\":\"ab\",\"reason\":\"stolen\"}").statusCode()).isEqualTo(400);
        assertThat(adminPost(tls, "/admin/revocations", "{\"serial\":\"ab\",\"by\":\"me\"}").statusCode()).isEqualTo(400);
        assertThat(adminPost(tls, "/admin/revocations", "{\"serial\":\"" + "a".repeat(5000) + "\"}").statusCode()).isEqualTo(413);
        assertThat(adminGet(tls, "/admin/revocations").statusCode()).isEqualTo(405);
        assertThat(adminGet(tls, "/admin/nothing").statusCode()).isEqualTo(404);
        assertThat(get("/actuator/prometheus").body()).contains("bulwark_identity_revocations_total 0.0");
    }

    @Test
    void rotationMakesANewIntermediateWhoseSvidsTheBundleFileVerifies() throws Exception {
        SSLContext tls = SpiffeTls.clientContext(adminSvids(), identityOnly(), HandshakeFailureListener.NONE);
        try (DefaultX509Source source = x509Source()) {
            X509Certificate before = source.getX509Svid().getChain().get(1);

            HttpResponse<String> rotated = adminPost(tls, "/admin/rotations/intermediate", "{}");

            assertThat(rotated.statusCode()).isEqualTo(200);
            String keyId = server.ca().activeIntermediate().keyId();
            assertThat(rotated.body()).contains("\"intermediate\":\"" + keyId + "\"");
            await().atMost(Duration.ofSeconds(10)).until(() -> !source.getX509Svid().getChain().get(1).equals(before));
            assertThat(source.getX509Svid().getChain().get(1)).isEqualTo(server.ca().activeIntermediate().certificate());
            validate(source.getX509Svid().getChain(), readCertificates(home.resolve("pki/bundle.pem")));
            HttpResponse<String> status = adminGet(tls, "/admin/status");
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("\"key_id\":\"" + keyId + "\"", "\"intermediates\"", "\"roots\"", "\"issued\"");
            assertThat(get("/actuator/prometheus").body()).contains("bulwark_identity_intermediate_rotations_total 1.0");
        }
    }

    @Test
    void rootRotationIsTrustedFirstThenSignsThenRetiresTheOldRootAndSurvivesRestart() throws Exception {
        server.close();
        IdentityServerSettings shortLived = settings("--bulwark.identity.svid-lifetime=PT6S", "--bulwark.identity.root-propagation=PT3S");
        server = IdentityServer.start(shortLived);
        X509Certificate oldRoot = server.ca().bundle().getFirst();
        List<X509Certificate> underOldRoot = server.ca()
                .issue(TestCsrs.csr(TestCsrs.p256()), SpiffeId.parse(ORDER), List.of(), Duration.ofMinutes(2)).chain();
        X509Certificate newRoot;
        try (DefaultX509Source source = x509Source()) {
            HttpResponse<String> started = adminPost(admin(), "/admin/rotations/root", "");

            assertThat(started.statusCode()).isEqualTo(202);
            assertThat(started.body()).contains("\"activates_at\":\"", "\"previous_retired_at\":\"");
            assertThat(server.ca().bundle()).hasSize(2).startsWith(oldRoot);
            newRoot = server.ca().bundle().get(1);
            String keyId = started.body().replaceFirst(".*\"root\":\"([0-9a-f]+)\".*", "$1");
            assertThat(newRoot.getSubjectX500Principal().getName()).contains(keyId.substring(0, 16));
            assertThat(server.ca().activeRoot().certificate()).as("not signing before the propagation delay").isEqualTo(oldRoot);
            // every workload learns the new root before anyone presents a chain to it
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(bundleOf(source)).containsExactlyInAnyOrder(oldRoot, newRoot));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(readCertificates(home.resolve("pki/bundle.pem"))).containsExactlyInAnyOrder(oldRoot, newRoot));
            HttpResponse<String> second = adminPost(admin(), "/admin/rotations/root", "");
            assertThat(second.statusCode()).isEqualTo(409);
            assertThat(second.body()).contains("\"error\":\"rotation_in_progress\"");

            // activated: the Workload API hands out SVIDs chained to the new root; the old root's still verify
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() ->
                    validate(source.getX509Svid().getChain(), List.of(newRoot)));
            validate(underOldRoot, readCertificates(home.resolve("pki/bundle.pem")));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(readCertificates(home.resolve("pki/workload-root.pem"))).containsExactly(newRoot));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("pki/workload-root-key.pem"))))
                    .isEqualTo("rw-------");
            assertThat(get("/actuator/prometheus").body()).contains("bulwark_identity_root_rotations_total 1.0");

            // retired one SVID lifetime later: only the new root is trusted
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(readCertificates(home.resolve("pki/bundle.pem"))).containsExactly(newRoot));
            assertThat(server.ca().bundle()).containsExactly(newRoot);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bundleOf(source)).containsExactly(newRoot));
            assertThatThrownBy(() -> validate(underOldRoot, List.of(newRoot))).isInstanceOf(CertPathValidatorException.class);
            validate(source.getX509Svid().getChain(), readCertificates(home.resolve("pki/bundle.pem")));
            assertThat(adminPost(admin(), "/admin/rotations/root", "").statusCode()).as("the next one may start").isEqualTo(202);
        }

        server.close();
        server = IdentityServer.start(shortLived);

        assertThat(server.ca().bundle()).as("the activated root, not the one only prepared before the stop")
                .containsExactly(newRoot);
    }

    @Test
    void concurrentRootRotationsOneIsAcceptedTheOtherConflicts() throws Exception {
        SSLContext tls = admin();
        List<Integer> statuses;
        try (java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            java.util.concurrent.Future<HttpResponse<String>> a = pool.submit(() -> adminPost(tls, "/admin/rotations/root", ""));
            java.util.concurrent.Future<HttpResponse<String>> b = pool.submit(() -> adminPost(tls, "/admin/rotations/root", ""));
            statuses = List.of(a.get().statusCode(), b.get().statusCode());
        }

        assertThat(statuses).containsExactlyInAnyOrder(202, 409);
        assertThat(server.ca().bundle()).hasSize(2);
        assertThat(adminGet(tls, "/admin/rotations/root").statusCode()).isEqualTo(405);
    }

    @Test
    void workloadThatIsNotAdminCannotRotateTheRoot() throws Exception {
        SSLContext order = SpiffeTls.clientContext(svids(ORDER), identityOnly(), HandshakeFailureListener.NONE);

        assertThatThrownBy(() -> adminPost(order, "/admin/rotations/root", "")).isInstanceOf(IOException.class);
        assertThat(server.ca().bundle()).as("nothing changed").hasSize(1);
    }

    @Test
    void restartKeepsRootAndRevocationsAndCloseRemovesSocket() throws Exception {
        List<X509Certificate> bundle = server.ca().bundle();
        Path socket = server.socket();
        assertThat(Files.exists(socket)).isTrue();

        server.close();
        assertThat(Files.exists(socket)).isFalse();
        server = IdentityServer.start(settings());

        assertThat(server.ca().bundle()).isEqualTo(bundle);
    }

    @Test
    void corruptRevocationsFileFailsStart() throws Exception {
        server.close();
        Files.writeString(home.resolve("identity/revocations"), "garbage\n");

        IdentityServerSettings settings = settings();
        assertThatThrownBy(() -> IdentityServer.start(settings))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("revocations file")
                .hasMessageContaining("line 1");
        server = null;

        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = IdentityServer.run(new String[] {"--bulwark.home=" + home, "--bulwark.identity.revocation-port=" + freePort(),
                "--server.port=0", "--management.server.port=0"}, new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).startsWith("identity: cannot start: revocations file");
        assertThat(home.resolve("identity/agent.sock")).doesNotExist();
    }

    private SSLContext admin() {
        return SpiffeTls.clientContext(adminSvids(), identityOnly(), HandshakeFailureListener.NONE);
    }

    private static java.util.Set<X509Certificate> bundleOf(DefaultX509Source source) throws Exception {
        return source.getBundleForTrustDomain(io.spiffe.spiffeid.TrustDomain.parse("ecomm.local")).getX509Authorities();
    }

    private MutableSvidSupplier adminSvids() {
        return svids(ADMIN);
    }

    /** An SVID issued straight by the server's CA, as the Workload API would hand it to that workload. */
    private MutableSvidSupplier svids(String spiffeId) {
        KeyPair keys = TestCsrs.p256();
        X509Svid svid = server.ca().issue(TestCsrs.csr(keys), SpiffeId.parse(spiffeId), List.of());
        return MutableSvidSupplier.of(new Svid(keys.getPrivate(), svid.chain()), server.ca().bundle());
    }

    private static SpiffeIdPolicy identityOnly() {
        return SpiffeIdPolicy.oneOf("spiffe://ecomm.local/identity");
    }

    private DefaultX509Source x509Source() throws Exception {
        return x509Source(Duration.ofSeconds(10));
    }

    private DefaultX509Source x509Source(Duration timeout) throws Exception {
        return DefaultX509Source.newSource(DefaultX509Source.X509SourceOptions.builder()
                .spiffeSocketPath("unix:" + server.socket())
                .initTimeout(timeout)
                .build());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> adminPost(SSLContext tls, String path, String json) throws Exception {
        return admin(tls, HttpRequest.newBuilder(adminUri(path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").build());
    }

    private HttpResponse<String> adminGet(SSLContext tls, String path) throws Exception {
        return admin(tls, HttpRequest.newBuilder(adminUri(path)).GET().build());
    }

    private URI adminUri(String path) {
        return URI.create("https://localhost:" + server.adminPort() + path);
    }

    private static HttpResponse<String> admin(SSLContext tls, HttpRequest request) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(tls).sslParameters(SpiffeTls.clientParameters(tls))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The OCSP status the server's responder gives, null for good. */
    private CertificateStatus ocspStatus(X509Certificate issuer, BigInteger serial) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new X509CertificateHolder(issuer.getEncoded()), serial);
        byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
        HttpResponse<byte[]> response = plain.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.revocationPort() + "/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(), HttpResponse.BodyHandlers.ofByteArray());
        OCSPResp ocsp = new OCSPResp(response.body());
        assertThat(ocsp.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
        return ((BasicOCSPResp) ocsp.getResponseObject()).getResponses()[0].getCertStatus();
    }

    private static List<X509Certificate> readCertificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        }
    }

    private static void validate(List<X509Certificate> chain, List<X509Certificate> bundle) throws GeneralSecurityException {
        PKIXParameters parameters = new PKIXParameters(bundle.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toSet()));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
