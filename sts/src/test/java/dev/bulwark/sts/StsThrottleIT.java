package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import com.nimbusds.jwt.SignedJWT;

import dev.bulwark.sts.throttle.ManualTime;

/**
 * The STS's throttle through the real server: per client (3 per 10 s) and per IP (6 per 10 s) on the
 * token and authorization endpoints, on a clock the test moves. Spring Authorization Server behind it
 * answers as before; a refused request never reaches client authentication.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.home=target/it-home",
        "bulwark.sts.issuer=http://sts.test",
        "bulwark.sts.throttle.per-client=3/PT10S",
        "bulwark.sts.throttle.per-ip=6/PT10S",
        "spring.datasource.url=jdbc:h2:mem:sts-throttle-it;DB_CLOSE_DELAY=-1"})
class StsThrottleIT {

    @TestConfiguration
    static class Clock {
        @Bean
        ManualTime throttleTime() {
            return new ManualTime();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ManualTime time;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    AuditLines audit;

    @BeforeEach
    void setUp() {
        time.advance(Duration.ofHours(1)); // every bucket full: tests do not see each other's requests
        audit = new AuditLines();
    }

    @AfterEach
    void tearDown() {
        audit.close();
    }

    private HttpResponse<String> token(String clientId, String secret, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=orders%3Aread"));
        if (clientId != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokenRequestWithinTheLimitIsAnsweredBySpringAuthorizationServerWithRateLimitHeaders() throws Exception {
        HttpResponse<String> r = token("orderprocessingservice", "orderprocessingservicesecret");

        assertThat(r.statusCode()).isEqualTo(200);
        String accessToken = StsHttp.JSON.readTree(r.body()).get("access_token").asString();
        assertThat(SignedJWT.parse(accessToken).getJWTClaimsSet().getSubject()).isEqualTo("orderprocessingservice");
        assertThat(r.headers().firstValue("RateLimit-Limit")).hasValue("3");
        assertThat(r.headers().firstValue("RateLimit-Remaining")).hasValue("2");
        assertThat(r.headers().firstValue("RateLimit-Reset")).isPresent();
        assertThat(r.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void clientSecretGuessingIsCutOffAtTheLimitBeforeTheSecretIsChecked() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(token("orderprocessingservice", "guess-" + i).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> refused = token("orderprocessingservice", "guess-3");
        HttpResponse<String> rightSecretToo = token("orderprocessingservice", "orderprocessingservicesecret");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("4");
        assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue("3");
        assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429}");
        assertThat(rightSecretToo.statusCode()).isEqualTo(429);
        assertThat(audit.events("login_failure")).as("the 4th guess never reached client authentication").hasSize(3);
        // one line for both refusals: within a second, later refusals of one key are only counted
        // (the next line carries suppressed=N), so that a flood cannot fill the audit log
        assertThat(audit.events("throttled")).hasSize(1).allSatisfy(l -> assertThat(l)
                .contains("component=sts", "rule=per-client", "key=client:orderprocessingservice")
                .doesNotContain("guess", "secret"));
        assertThat(audit.events("token_issued")).isEmpty();

        time.advance(Duration.ofSeconds(4));
        assertThat(token("orderprocessingservice", "orderprocessingservicesecret").statusCode())
                .as("recovered after Retry-After").isEqualTo(200);
    }

    @Test
    void perIpLimitIsNotResetByForgedForwardingHeaders() throws Exception {
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = token(null, null, "X-Forwarded-For", "198.51.100." + i,
                    "Forwarded", "for=198.51.100." + i);
            assertThat(r.statusCode()).as("no client credentials: Spring Security answers").isEqualTo(401);
        }

        HttpResponse<String> refused = token("partnerapp", "partnerappsecret", "X-Forwarded-For", "203.0.113.7");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue("6");
        assertThat(audit.events("throttled")).singleElement().asString()
                .contains("rule=per-ip", "key=ip:127.0.0.1").doesNotContain("203.0.113.7");

        time.advance(Duration.ofSeconds(10));
        assertThat(token("partnerapp", "partnerappsecret").statusCode()).isEqualTo(200);
    }

    @Test
    void authorizationEndpointIsThrottledPerClientId() throws Exception {
        String authorize = "/oauth2/authorize?response_type=code&client_id=orderprocessingapp&scope=orders%3Aread";
        for (int i = 0; i < 3; i++) {
            assertThat(get(authorize).statusCode()).isNotEqualTo(429);
        }

        HttpResponse<String> refused = get(authorize);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(token("orderprocessingapp", "orderprocessingappsecret").statusCode())
                .as("the same client's budget at the token endpoint").isEqualTo(429);
    }

    @Test
    void throttlingIsCountedInPrometheus() throws Exception {
        for (int i = 0; i < 4; i++) {
            token("partnerapp", "partnerappsecret");
        }

        String metrics = get("/actuator/prometheus").body();

        assertThat(metrics).containsPattern(
                "bulwark_throttle_decisions_total\\{[^}]*component=\"sts\"[^}]*result=\"throttled\"[^}]*rule=\"per-client\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern(
                "bulwark_throttle_decisions_total\\{[^}]*component=\"sts\"[^}]*result=\"allowed\"[^}]*rule=\"per-ip\"[^}]*} [1-9]");
    }
}
