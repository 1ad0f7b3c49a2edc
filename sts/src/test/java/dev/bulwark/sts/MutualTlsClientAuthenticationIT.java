package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.bulwark.securitykit.pki.Pem;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.TestCa;
import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.sts.mtls.CertificateBinding;

/**
 * RFC 8705 {@code tls_client_auth} against a real STS on TLS that wants (not needs) a client
 * certificate, with Spring Boot's PEM SSL bundle trusting a test workload CA; clients are real JDK
 * HTTP clients presenting X.509-SVIDs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.home=target/it-home",
        "bulwark.sts.issuer=https://sts.test",
        "spring.datasource.url=jdbc:h2:mem:sts-mtls-it;DB_CLOSE_DELAY=-1",
        "server.ssl.bundle=server",
        "server.ssl.client-auth=want",
        // order-service comes from application.yml; here its tokens are also certificate-bound
        "bulwark.sts.clients.order-service.certificate-bound-access-tokens=true",
        "bulwark.sts.clients.audit-service.authentication-method=tls_client_auth",
        "bulwark.sts.clients.audit-service.spiffe-id=spiffe://ecomm.local/audit",
        "bulwark.sts.clients.audit-service.grant-types=client_credentials",
        "bulwark.sts.clients.audit-service.scopes=orders:read",
        "bulwark.sts.clients.audit-service.token-format=reference"})
class MutualTlsClientAuthenticationIT {

    static final TestCa CA = TestCa.create("bulwark test workload root");
    static final TestCa OTHER_CA = TestCa.create("someone else's root");
    static final Svid SERVER = CA.issue("sts");
    static final Svid ORDER = CA.issue("order");

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) {
        registry.add("spring.ssl.bundle.pem.server.keystore.certificate", () -> Pem.encode(SERVER.leaf()));
        registry.add("spring.ssl.bundle.pem.server.keystore.private-key", () -> Pem.encode(SERVER.privateKey()));
        registry.add("spring.ssl.bundle.pem.server.truststore.certificate", () -> Pem.encode(CA.root()));
    }

    @LocalServerPort
    int port;

    StsHttp order;

    @BeforeEach
    void setUp() {
        order = as(ORDER);
    }

    @Test
    void tokenWhenSvidOfRegisteredSpiffeIdThenTokenWithoutSecret() throws Exception {
        StsHttp.Response r = order.post("/oauth2/token", null, null,
                "grant_type", "client_credentials", "client_id", "order-service", "scope", "inventory:write");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("token_type")).isEqualTo("Bearer");
        JWTClaimsSet claims = order.verifiedJwt(r.text("access_token")).getJWTClaimsSet();
        assertThat(claims.getStringClaim("client_id")).isEqualTo("order-service");
        assertThat(claims.getSubject()).isEqualTo("order-service");
        assertThat(claims.getStringClaim("scope")).isEqualTo("inventory:write");
    }

    @Test
    void tokenWhenClientRegisteredForBindingThenCnfIsThumbprintOfItsCertificate() throws Exception {
        StsHttp.Response r = order.post("/oauth2/token", null, null,
                "grant_type", "client_credentials", "client_id", "order-service");

        assertThat(r.status()).isEqualTo(200);
        Map<String, Object> cnf = order.verifiedJwt(r.text("access_token")).getJWTClaimsSet().getJSONObjectClaim("cnf");
        assertThat(cnf).containsOnly(Map.entry("x5t#S256", CertificateBinding.thumbprint(ORDER.leaf())));
    }

    @Test
    void introspectionAndRevocationWhenClientAuthenticatesWithSvidThenAllowed() {
        StsHttp audit = as(CA.issue("audit"));
        StsHttp.Response token = audit.post("/oauth2/token", null, null,
                "grant_type", "client_credentials", "client_id", "audit-service", "scope", "orders:read");
        assertThat(token.status()).isEqualTo(200);
        String reference = token.text("access_token");

        StsHttp.Response active = audit.post("/oauth2/introspect", null, null, "client_id", "audit-service", "token", reference);
        assertThat(active.status()).isEqualTo(200);
        assertThat(active.body().get("active").asBoolean()).isTrue();
        assertThat(active.text("client_id")).isEqualTo("audit-service");
        assertThat(active.body().has("cnf")).as("audit-service is not registered for bound tokens").isFalse();

        StsHttp.Response revoked = audit.post("/oauth2/revoke", null, null, "client_id", "audit-service", "token", reference);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(audit.post("/oauth2/introspect", null, null, "client_id", "audit-service", "token", reference)
                .body().get("active").asBoolean()).isFalse();
    }

    @Test
    void svidOfAnotherWorkloadCannotAuthenticateAsOrderService() {
        StsHttp gateway = as(CA.issue("gateway"));

        StsHttp.Response r = gateway.post("/oauth2/token", null, null,
                "grant_type", "client_credentials", "client_id", "order-service");

        assertInvalidClient(r);
    }

    @Test
    void certificateWithTwoUriSansIsRefusedEvenIfOneMatches() {
        Instant now = Instant.now();
        StsHttp twoIds = as(CA.issue(List.of("spiffe://ecomm.local/order", "spiffe://ecomm.local/gateway"),
                now.minusSeconds(60), now.plusSeconds(3600), false));

        assertInvalidClient(twoIds.post("/oauth2/token", null, null,
                "grant_type", "client_credentials", "client_id", "order-service"));
    }

    @Test
    void certificateWithoutUriSanIsRefused() {
        Instant now = Instant.now();
        StsHttp noId = as(CA.issue(List.of(), now.minusSeconds(60), now.plusSeconds(3600), false));

        assertInvalidClient(noId.post("/oauth2/token", null, null,
                "grant_type", "client_credentials", "client_id", "order-service"));
    }

    @Test
    void svidFromAnotherCaIsRefusedInTheHandshake() {
        StsHttp foreign = as(OTHER_CA.issue("order"));

        assertThat(foreign.tryPost("/oauth2/token", "grant_type", "client_credentials", "client_id", "order-service"))
                .as("handshake refused, no HTTP response").isEmpty();
    }

    @Test
    void tlsClientAuthClientWithoutCertificateGetsInvalidClient() {
        StsHttp.Response r = withoutCertificate().post("/oauth2/token", null, null,
                "grant_type", "client_credentials", "client_id", "order-service");

        assertInvalidClient(r);
    }

    @Test
    void tlsClientAuthClientCannotAuthenticateWithASecret() {
        assertInvalidClient(withoutCertificate().token("order-service", "any-secret-at-all", "grant_type", "client_credentials"));
        assertInvalidClient(order.token("order-service", "any-secret-at-all", "grant_type", "client_credentials"));
        assertInvalidClient(withoutCertificate().post("/oauth2/token", null, null, "grant_type", "client_credentials",
                "client_id", "order-service", "client_secret", "any-secret-at-all"));
    }

    @Test
    void secretClientCannotAuthenticateWithACertificate() {
        StsHttp.Response r = order.post("/oauth2/token", null, null,
                "grant_type", "client_credentials", "client_id", "orderprocessingservice");

        assertInvalidClient(r);
    }

    @Test
    void secretClientStillWorksWithoutCertificateOnTheSamePort() {
        StsHttp.Response r = withoutCertificate().token("orderprocessingservice", "orderprocessingservicesecret",
                "grant_type", "client_credentials", "scope", "orders:read");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("access_token")).isNotBlank();
    }

    @Test
    void secretClientPresentingAnSvidStillAuthenticatesWithItsSecret() throws Exception {
        StsHttp.Response r = order.token("orderprocessingservice", "orderprocessingservicesecret",
                "grant_type", "client_credentials");

        assertThat(r.status()).isEqualTo(200);
        assertThat(order.verifiedJwt(r.text("access_token")).getJWTClaimsSet().getClaim("cnf")).isNull();
    }

    @Test
    void discoveryListsTlsClientAuthAndCertificateBoundTokens() {
        for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            StsHttp.Response r = withoutCertificate().get(path);

            assertThat(r.status()).isEqualTo(200);
            for (String field : List.of("token_endpoint_auth_methods_supported",
                    "introspection_endpoint_auth_methods_supported", "revocation_endpoint_auth_methods_supported")) {
                List<String> methods = new java.util.ArrayList<>();
                r.body().get(field).forEach(n -> methods.add(n.asString()));
                assertThat(methods).as(path + " " + field)
                        .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "tls_client_auth");
            }
            assertThat(r.body().get("tls_client_certificate_bound_access_tokens").asBoolean()).isTrue();
        }
    }

    private static void assertInvalidClient(StsHttp.Response r) {
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.text("error")).isEqualTo("invalid_client");
        assertThat(r.text("access_token")).isNull();
        assertThat(r.raw()).doesNotContain("Exception", "at org.", "BEGIN CERTIFICATE");
    }

    /** A client presenting {@code svid}, trusting the test root and expecting the server to be spiffe://ecomm.local/sts. */
    private StsHttp as(Svid svid) {
        // ecomm.local also as a "federated" bundle: an odd test certificate (no or two URI SANs) gives the
        // client no own trust domain, and it must still trust the server's
        SSLContext context = SpiffeTls.clientContext(MutableSvidSupplier.of(svid, CA.bundle(),
                Map.of("ecomm.local", CA.bundle())), sts(), HandshakeFailureListener.NONE);
        return https(context);
    }

    private StsHttp withoutCertificate() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {SpiffeTls.trustManager(MutableSvidSupplier.of(ORDER, CA.bundle()),
                    sts(), HandshakeFailureListener.NONE)}, new SecureRandom());
            return https(context);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SpiffeIdPolicy sts() {
        return SpiffeIdPolicy.oneOf("spiffe://ecomm.local/sts");
    }

    private StsHttp https(SSLContext context) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(context).sslParameters(SpiffeTls.clientParameters(context)).build();
        return new StsHttp(client, "https://localhost:" + port);
    }
}
