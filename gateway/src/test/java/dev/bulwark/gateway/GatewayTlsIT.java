package dev.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.gateway.support.EchoUpstream;
import dev.bulwark.gateway.support.FakeSts;
import dev.bulwark.gateway.support.Tls;
import dev.bulwark.securitykit.pki.IssuedCertificate;
import dev.bulwark.securitykit.pki.LocalCa;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;

/**
 * The gateway started the way the launcher starts it (command-line properties, PEM SSL bundles from
 * a local CA): HTTPS at the edge, JWKS over TLS trusting the local CA, and an upstream that requires
 * a client certificate.
 */
class GatewayTlsIT {

    @TempDir
    static Path dir;

    static LocalCa ca;
    static FakeSts sts;
    static EchoUpstream upstream;
    static ECKey stsKey;
    static ConfigurableApplicationContext gateway;
    static WebTestClient client;

    @BeforeAll
    static void start() throws Exception {
        ca = LocalCa.create("Bulwark test CA");
        IssuedCertificate gatewayCert = ca.issueForLoopback("gateway", Duration.ofHours(1));
        gatewayCert.writeTo(dir.resolve("gateway.crt"), dir.resolve("gateway.key"));
        Files.writeString(dir.resolve("ca.pem"), dev.bulwark.securitykit.pki.Pem.encode(ca.certificate()));
        sts = new FakeSts(Tls.context(ca.issueForLoopback("sts", Duration.ofHours(1)), ca.certificate()));
        upstream = new EchoUpstream(Tls.context(ca.issueForLoopback("order", Duration.ofHours(1)), ca.certificate()));
        stsKey = new ECKeyGenerator(Curve.P_256).keyID("sts-1").generate();
        sts.publish(stsKey);

        String crt = "file:" + dir.resolve("gateway.crt");
        String key = "file:" + dir.resolve("gateway.key");
        String trust = "file:" + dir.resolve("ca.pem");
        gateway = SpringApplication.run(GatewayApplication.class,
                "--server.port=0",
                "--server.ssl.bundle=server",
                "--spring.ssl.bundle.pem.server.keystore.certificate=" + crt,
                "--spring.ssl.bundle.pem.server.keystore.private-key=" + key,
                "--spring.ssl.bundle.pem.server.truststore.certificate=" + trust,
                "--spring.ssl.bundle.pem.client.keystore.certificate=" + crt,
                "--spring.ssl.bundle.pem.client.keystore.private-key=" + key,
                "--spring.ssl.bundle.pem.client.truststore.certificate=" + trust,
                "--bulwark.gateway.issuer=https://sts.test",
                "--bulwark.gateway.jwk-set-uri=" + sts.uri("/oauth2/jwks"),
                "--bulwark.gateway.introspection-uri=" + sts.uri("/oauth2/introspect"),
                "--bulwark.gateway.order-service-uri=" + upstream.uri());
        int port = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
        HttpClient https = HttpClient.create().secure(spec -> {
            try {
                spec.sslContext(SslContextBuilder.forClient().trustManager(ca.certificate()).build());
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalStateException(e);
            }
        });
        client = WebTestClient.bindToServer(new ReactorClientHttpConnector(https))
                .baseUrl("https://localhost:" + port).responseTimeout(Duration.ofSeconds(15)).build();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        sts.close();
        upstream.close();
    }

    @Test
    void validTokenReachesTheMtlsUpstreamWithTheGatewayCertificate() throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("sts-1").build(),
                new JWTClaimsSet.Builder().issuer("https://sts.test").audience("bulwark-api").subject("peter")
                        .claim("scope", "orders:read").issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString()).build());
        jwt.sign(new ECDSASigner(stsKey));

        client.get().uri("/api/orders").headers(h -> h.setBearerAuth(jwt.serialize())).exchange()
                .expectStatus().isOk()
                .expectHeader().exists("Strict-Transport-Security");

        assertThat(upstream.last().clientCertificate()).contains("CN=gateway");
        assertThat(upstream.last().path()).isEqualTo("/orders");
    }

    @Test
    void requestWithoutTokenIsRejectedOverTls() {
        client.get().uri("/api/orders").exchange().expectStatus().isUnauthorized();
    }
}
