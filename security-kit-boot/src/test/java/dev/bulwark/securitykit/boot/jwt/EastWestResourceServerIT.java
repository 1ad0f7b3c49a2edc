package dev.bulwark.securitykit.boot.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.securitykit.jwt.WorkloadJwtSigner;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.SvidSupplier;
import dev.bulwark.securitykit.tls.TestCa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * A real Tomcat serving SVID mTLS with the east/west resource server, called by real TLS clients
 * with tokens of each pattern; the audit trail is read from the {@code bulwark.audit} logger.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EastWestResourceServerIT {

    private static final String ORDER = "spiffe://ecomm.local/order";
    private static final String GATEWAY = "spiffe://ecomm.local/gateway";
    private static final String STS = "https://sts.test";

    private final TestCa ca = TestCa.create("ecomm");
    private final MutableSvidSupplier serverSvids = ca.supplier("inventory");
    private final MutableSvidSupplier orderSvids = ca.supplier("order");
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private final ListAppender<ILoggingEvent> failures = new ListAppender<>();
    private ECKey stsKey;
    private ConfigurableApplicationContext app;
    private int port;

    @BeforeAll
    void start() throws Exception {
        stsKey = new ECKeyGenerator(Curve.P_256).keyID("sts-1").generate();
        Path jwks = Files.createTempFile("sts", ".jwks");
        Files.writeString(jwks, new JWKSet(stsKey.toPublicJWK()).toString());
        app = new SpringApplicationBuilder(EastWestTestApp.class)
                .web(WebApplicationType.SERVLET)
                .initializers(context -> ((GenericApplicationContext) context)
                        .registerBean(SvidSupplier.class, () -> serverSvids))
                .run("--server.port=0",
                        "--server.address=127.0.0.1",
                        "--spring.main.banner-mode=off",
                        "--bulwark.workload.socket=/nonexistent/agent.sock",
                        "--bulwark.workload.server.client-auth=need",
                        "--bulwark.workload.revocation.enabled=false",
                        "--bulwark.workload.server.allowed-clients=" + ORDER + "," + GATEWAY,
                        "--bulwark.east-west.audience=inventory-service",
                        "--bulwark.east-west.trusted-issuers[0].issuer=" + STS,
                        "--bulwark.east-west.trusted-issuers[0].jwk-set-file=" + jwks,
                        "--bulwark.east-west.self-issued-signers=" + ORDER);
        port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
        // after the start: Spring Boot re-initializes Logback while starting
        ((Logger) LoggerFactory.getLogger(AuditLogFilter.LOGGER)).addAppender(audit);
        ((Logger) LoggerFactory.getLogger(EastWestResourceServer.class)).addAppender(failures);
        audit.start();
        failures.start();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void clear() {
        audit.list.clear();
        failures.list.clear();
    }

    @Test
    void exchangedTokenWithTheScopeIsAcceptedAndAudited() throws Exception {
        HttpResponse<String> response = get(orderSvids, exchanged(c -> { }));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("peter peter<-" + ORDER);
        assertThat(auditLines()).containsExactly("event=access method=GET path=/items status=200 sub=peter actors=" + ORDER
                + " client_id=order-service pattern=exchanged");
    }

    @Test
    void tokenWithoutTheScopeIsForbiddenAndAudited() throws Exception {
        HttpResponse<String> response = send(orderSvids, HttpRequest.newBuilder(uri())
                .header("Authorization", "Bearer " + exchanged(c -> { }))
                .PUT(HttpRequest.BodyPublishers.ofString("[]")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(auditLines()).singleElement().asString().contains("method=PUT", "status=403", "sub=peter");
    }

    @Test
    void tokenForAnotherAudienceIsInvalidTokenAndNotAudited() throws Exception {
        String token = exchanged(c -> c.audience("delivery-service"));

        HttpResponse<String> response = get(orderSvids, token);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).contains("error=\"invalid_token\"").doesNotContain(token));
        assertThat(response.body()).doesNotContain(token);
        assertThat(auditLines()).isEmpty();
        assertThat(failures.list).singleElement().satisfies(event -> assertThat(event.getFormattedMessage())
                .contains("event=auth_failure reason=wrong_audience peer=" + ORDER).doesNotContain(token));
    }

    @Test
    void requestWithoutTokenIsUnauthorized() throws Exception {
        HttpResponse<String> response = send(orderSvids, HttpRequest.newBuilder(uri()).GET());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(auditLines()).isEmpty();
    }

    @Test
    void selfIssuedTokenOfTheMtlsPeerIsAccepted() throws Exception {
        String token = new WorkloadJwtSigner(orderSvids, Clock.systemUTC(), Duration.ofSeconds(30))
                .selfIssued("peter", "inventory-service", Set.of("inventory:read"));

        HttpResponse<String> response = get(orderSvids, token);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(auditLines()).singleElement().asString().endsWith("sub=peter actors=" + ORDER + " client_id=- pattern=self_issued");
    }

    @Test
    void selfIssuedTokenReplayedByAnotherPeerIsRefused() throws Exception {
        String token = new WorkloadJwtSigner(orderSvids, Clock.systemUTC(), Duration.ofSeconds(30))
                .selfIssued("peter", "inventory-service", Set.of("inventory:read"));

        HttpResponse<String> response = get(ca.supplier("gateway"), token);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(failures.list).singleElement().satisfies(event -> assertThat(event.getFormattedMessage())
                .contains("reason=signer_not_peer peer=" + GATEWAY));
    }

    @Test
    void nestedTokenOfTheClientItWasIssuedToIsAccepted() throws Exception {
        String nested = new WorkloadJwtSigner(orderSvids, Clock.systemUTC(), Duration.ofSeconds(30)).nested(exchanged(c -> { }));

        HttpResponse<String> response = get(orderSvids, nested);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(auditLines()).singleElement().asString().endsWith("pattern=nested");
    }

    /** The audit lines so far; the line is written after the response, so a moment is allowed for it. */
    private List<String> auditLines() throws InterruptedException {
        for (int i = 0; i < 20 && audit.list.isEmpty(); i++) {
            Thread.sleep(50);
        }
        return audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private String exchanged(Consumer<JWTClaimsSet.Builder> custom) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(STS).subject("peter").audience("inventory-service")
                .claim("scope", "inventory:read").claim("client_id", "order-service").claim("act", Map.of("sub", ORDER))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString());
        custom.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("sts-1").build(), claims.build());
        jwt.sign(new ECDSASigner(stsKey));
        return jwt.serialize();
    }

    private HttpResponse<String> get(MutableSvidSupplier client, String token) throws Exception {
        return send(client, HttpRequest.newBuilder(uri()).header("Authorization", "Bearer " + token).GET());
    }

    private HttpResponse<String> send(MutableSvidSupplier client, HttpRequest.Builder request) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(SpiffeTls.clientContext(client,
                SpiffeIdPolicy.oneOf("spiffe://ecomm.local/inventory"), HandshakeFailureListener.NONE)).build();
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri() {
        return URI.create("https://localhost:" + port + "/items");
    }
}
