package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** max-failures 3 within a minute locks the user for a minute in the shared test context. */
@StsIntegrationTest
class LockoutIT {

    @LocalServerPort
    int port;

    @Test
    void passwordGrantWhenTooManyFailuresThenCorrectPasswordRefusedToo() {
        StsHttp sts = new StsHttp(port);
        for (int i = 0; i < 3; i++) {
            StsHttp.Response r = sts.token("orderprocessingapp", "orderprocessingappsecret",
                    "grant_type", "password", "username", "lockme", "password", "guess" + i);
            assertThat(r.text("error")).isEqualTo("invalid_grant");
        }

        StsHttp.Response r = sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "password", "username", "lockme", "password", "lockme123");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text("error")).isEqualTo("invalid_grant");
        assertThat(r.raw()).doesNotContain("lock");
        StsHttp.Response other = sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "password", "username", "peter", "password", "peter123");
        assertThat(other.status()).isEqualTo(200);
    }
}
