package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Date;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

@StsIntegrationTest
class TokenEndpointIT {

    @LocalServerPort
    int port;

    StsHttp sts;

    @BeforeEach
    void setUp() {
        sts = new StsHttp(port);
    }

    @Test
    void tokenWhenClientCredentialsThenEs256JwtWithAllClaimsVerifiableAgainstJwks() throws Exception {
        StsHttp.Response r = sts.token("orderprocessingservice", "orderprocessingservicesecret",
                "grant_type", "client_credentials", "scope", "orders:read");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("token_type")).isEqualTo("Bearer");
        assertThat(r.body().get("expires_in").asInt()).isBetween(298, 300);
        assertThat(r.text("refresh_token")).isNull();
        SignedJWT jwt = sts.verifiedJwt(r.text("access_token"));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("http://sts.test");
        assertThat(claims.getSubject()).isEqualTo("orderprocessingservice");
        assertThat(claims.getAudience()).containsExactly("bulwark-api");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("orderprocessingservice");
        assertThat(claims.getStringClaim("scope")).isEqualTo("orders:read");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(claims.getIssueTime()).isCloseTo(new Date(), 10_000);
    }

    @Test
    void tokenWhenClientHasOwnAudienceThenAudIsThatAudience() throws Exception {
        StsHttp.Response r = sts.token("partnerapi", "partnerapisecret",
                "grant_type", "client_credentials", "scope", "orders:read");

        assertThat(r.status()).isEqualTo(200);
        assertThat(sts.verifiedJwt(r.text("access_token")).getJWTClaimsSet().getAudience()).containsExactly("partner-api");
    }

    @Test
    void tokenWhenPasswordGrantThenUserTokenAndRefreshToken() throws Exception {
        StsHttp.Response r = sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "password", "username", "peter", "password", "peter123", "scope", "orders:read orders:write");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("refresh_token")).isNotBlank();
        assertThat(r.text("scope")).contains("orders:read", "orders:write");
        JWTClaimsSet claims = sts.verifiedJwt(r.text("access_token")).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("peter");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("orderprocessingapp");
        assertThat(claims.getStringClaim("scope").split(" ")).containsExactlyInAnyOrder("orders:read", "orders:write");
    }

    @Test
    void tokenWhenPasswordGrantForClientWithoutItThenUnauthorizedClient() {
        StsHttp.Response r = sts.token("orderprocessingservice", "orderprocessingservicesecret",
                "grant_type", "password", "username", "peter", "password", "peter123");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text("error")).isEqualTo("unauthorized_client");
    }

    @Test
    void tokenWhenWrongPasswordThenInvalidGrant() {
        StsHttp.Response r = sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "password", "username", "nuwan", "password", "wrong");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text("error")).isEqualTo("invalid_grant");
        assertThat(r.text("access_token")).isNull();
    }

    @Test
    void tokenWhenWrongSecretThenInvalidClient() {
        StsHttp.Response r = sts.token("orderprocessingservice", "not-the-secret", "grant_type", "client_credentials");

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.text("error")).isEqualTo("invalid_client");
        assertThat(r.raw()).doesNotContain("Exception", "at org.", "bcrypt");
    }

    @Test
    void tokenWhenUnknownClientThenInvalidClient() {
        StsHttp.Response r = sts.token("nosuchclient", "whatever-secret", "grant_type", "client_credentials");

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.text("error")).isEqualTo("invalid_client");
    }

    @Test
    void tokenWhenNoClientAuthenticationThenInvalidClient() {
        StsHttp.Response r = sts.post("/oauth2/token", null, null, "grant_type", "client_credentials");

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.text("error")).isEqualTo("invalid_client");
    }

    @Test
    void tokenWhenUnknownScopeThenInvalidScope() {
        StsHttp.Response r = sts.token("orderprocessingservice", "orderprocessingservicesecret",
                "grant_type", "client_credentials", "scope", "orders:write");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text("error")).isEqualTo("invalid_scope");
    }

    @Test
    void tokenWhenUnknownGrantTypeThenUnsupportedGrantType() {
        StsHttp.Response r = sts.token("orderprocessingservice", "orderprocessingservicesecret",
                "grant_type", "implicit");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text("error")).isEqualTo("unsupported_grant_type");
    }

    @Test
    void prometheusWhenTokensIssuedThenCountsThemByGrantType() {
        sts.token("orderprocessingservice", "orderprocessingservicesecret", "grant_type", "client_credentials");

        StsHttp.Response r = sts.get("/actuator/prometheus");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw()).contains("bulwark_sts_tokens_issued_total{grant_type=\"client_credentials\"");
        assertThat(sts.get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void anyOtherPathWhenRequestedThenRefusedWithoutDetails() {
        StsHttp.Response r = sts.get("/actuator/env");

        assertThat(r.status()).isIn(401, 403);
        assertThat(r.raw()).doesNotContain("Exception", "spring.datasource");
    }
}
