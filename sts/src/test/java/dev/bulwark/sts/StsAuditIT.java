package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The STS's security events on {@code bulwark.audit}: one line per token issued, login, failed login,
 * refused grant and revocation, with who and from where, and never a token, secret or password.
 */
@StsIntegrationTest
class StsAuditIT {

    @LocalServerPort
    int port;

    StsHttp sts;
    AuditLines audit;

    @BeforeEach
    void setUp() {
        sts = new StsHttp(port);
        audit = new AuditLines();
    }

    @AfterEach
    void tearDown() {
        audit.close();
    }

    @Test
    void clientCredentialsTokenIsAuditedWithGrantClientAndSubjectButNotTheToken() {
        StsHttp.Response r = sts.token("orderprocessingservice", "orderprocessingservicesecret",
                "grant_type", "client_credentials", "scope", "orders:read");
        assertThat(r.status()).isEqualTo(200);

        assertThat(audit.events("token_issued")).singleElement().asString()
                .contains("grant=client_credentials", "client_id=orderprocessingservice", "sub=orderprocessingservice",
                        "scope=orders:read", "format=jwt", "refresh_token=false", "ip=127.0.0.1");
        assertNothingSecretIn(r.text("access_token"), "orderprocessingservicesecret");
    }

    @Test
    void passwordGrantIsAuditedAsTokenIssuedAndLoginSuccess() {
        StsHttp.Response r = sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "password", "username", "nuwan", "password", "nuwan123", "scope", "orders:read");
        assertThat(r.status()).isEqualTo(200);

        assertThat(audit.events("token_issued")).singleElement().asString()
                .contains("grant=password", "client_id=orderprocessingapp", "sub=nuwan", "refresh_token=true");
        assertThat(audit.events("login_success")).singleElement().asString()
                .contains("kind=user", "client_id=orderprocessingapp", "username=nuwan");
        assertNothingSecretIn(r.text("access_token"), "nuwan123", r.text("refresh_token"), "orderprocessingappsecret");
    }

    @Test
    void referenceTokenIsAuditedWithTheSubjectOfItsStoredAuthorization() {
        StsHttp.Response r = sts.token("partnerapp", "partnerappsecret", "grant_type", "client_credentials");
        assertThat(r.status()).isEqualTo(200);

        assertThat(audit.events("token_issued")).singleElement().asString()
                .contains("client_id=partnerapp", "sub=partnerapp", "format=reference");
        assertNothingSecretIn(r.text("access_token"), "partnerappsecret");
    }

    @Test
    void wrongUserPasswordIsAuditedAsLoginFailureWithoutThePassword() {
        StsHttp.Response r = sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "password", "username", "mallory", "password", "guessed-password-1");
        assertThat(r.status()).isEqualTo(400);

        assertThat(audit.events("login_failure")).singleElement().asString()
                .contains("kind=user", "client_id=orderprocessingapp", "username=mallory", "reason=invalid_grant");
        assertThat(audit.events("token_issued")).isEmpty();
        assertNothingSecretIn("guessed-password-1", "orderprocessingappsecret");
    }

    @Test
    void aUserLockedOutByRepeatedFailuresIsAuditedAndSoIsEachRefusalWhileLocked() {
        String user = "locked-" + java.util.UUID.randomUUID();
        for (int i = 0; i < 6; i++) {
            assertThat(sts.token("orderprocessingapp", "orderprocessingappsecret", "grant_type", "password",
                    "username", user, "password", "guess-" + i).status()).isEqualTo(400);
        }

        assertThat(audit.events("user_locked")).singleElement().asString()
                .contains("client_id=orderprocessingapp", "username=" + user);
        assertThat(audit.events("login_refused_locked")).isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains("username=" + user));
        assertNothingSecretIn("guess-0", "guess-5");
    }

    @Test
    void wrongClientSecretIsAuditedAsClientLoginFailureWithoutTheSecret() {
        StsHttp.Response r = sts.token("orderprocessingapp", "not-the-secret", "grant_type", "client_credentials");
        assertThat(r.status()).isEqualTo(401);

        assertThat(audit.events("login_failure")).singleElement().asString()
                .contains("kind=client", "client_id=orderprocessingapp", "method=client_secret_basic",
                        "reason=invalid_client");
        assertNothingSecretIn("not-the-secret");
    }

    @Test
    void userNameWithALineBreakCannotForgeASecondAuditLine() {
        sts.token("orderprocessingapp", "orderprocessingappsecret", "grant_type", "password",
                "username", "eve\nevent=login_success kind=user username=peter", "password", "x");

        assertThat(audit.lines()).noneMatch(l -> l.contains("\n") || l.contains("\r"));
        assertThat(audit.events("login_success")).isEmpty();
        assertThat(audit.events("login_failure")).singleElement().asString()
                .contains("username=eve?event?login_success?kind?user?username?peter");
    }

    @Test
    void refusedRefreshTokenIsAuditedAsTokenRefused() {
        StsHttp.Response r = sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "refresh_token", "refresh_token", "no-such-refresh-token");
        assertThat(r.status()).isEqualTo(400);

        assertThat(audit.events("token_refused")).singleElement().asString()
                .contains("grant=refresh_token", "client_id=orderprocessingapp", "reason=invalid_grant");
        assertNothingSecretIn("no-such-refresh-token");
    }

    @Test
    void revocationIsAuditedWithTheTokensSubjectAndWhetherItWasKnown() {
        String token = sts.token("partnerapp", "partnerappsecret", "grant_type", "client_credentials")
                .text("access_token");

        assertThat(sts.revoke("partnerapp", "partnerappsecret", token).status()).isEqualTo(200);
        assertThat(sts.revoke("partnerapp", "partnerappsecret", "never-issued").status()).isEqualTo(200);

        assertThat(audit.events("token_revoked")).hasSize(2);
        assertThat(audit.events("token_revoked").get(0))
                .contains("client_id=partnerapp", "sub=partnerapp", "result=revoked");
        assertThat(audit.events("token_revoked").get(1)).contains("client_id=partnerapp", "result=unknown_token");
        assertNothingSecretIn(token, "never-issued", "partnerappsecret");
    }

    @Test
    void refreshTokenReuseIsAuditedAsTheRevocationOfTheWholeFamily() {
        StsHttp.Response login = sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "password", "username", "nuwan", "password", "nuwan123", "scope", "orders:read");
        String first = login.text("refresh_token");
        assertThat(sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "refresh_token", "refresh_token", first).status()).isEqualTo(200);

        StsHttp.Response replay = sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "refresh_token", "refresh_token", first);

        assertThat(replay.status()).isEqualTo(400);
        assertThat(audit.events("token_issued")).hasSize(2).last().asString().contains("grant=refresh_token", "sub=nuwan");
        assertThat(audit.events("token_revoked")).singleElement().asString()
                .contains("reason=refresh_token_reuse", "sub=nuwan", "result=family_revoked");
        assertThat(audit.events("token_refused")).singleElement().asString()
                .contains("grant=refresh_token", "reason=invalid_grant");
        assertNothingSecretIn(first, login.text("access_token"));
    }

    private void assertNothingSecretIn(String... secrets) {
        for (String line : audit.lines()) {
            for (String secret : secrets) {
                assertThat(line).doesNotContain(secret);
            }
        }
    }
}
