package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@StsIntegrationTest
class RefreshTokenReuseIT {

    @LocalServerPort
    int port;

    StsHttp sts;
    String gatewaySecret;

    @BeforeEach
    void setUp() throws Exception {
        sts = new StsHttp(port);
        gatewaySecret = Files.readString(Path.of("target/it-home/secrets/bulwark-gateway-client-secret")).strip();
    }

    private StsHttp.Response login() {
        StsHttp.Response r = sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "password", "username", "nuwan", "password", "nuwan123", "scope", "orders:read");
        assertThat(r.status()).isEqualTo(200);
        return r;
    }

    private StsHttp.Response refresh(String refreshToken) {
        return sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "refresh_token", "refresh_token", refreshToken);
    }

    @Test
    void refreshWhenValidThenRotatesRefreshToken() throws Exception {
        StsHttp.Response first = login();

        StsHttp.Response second = refresh(first.text("refresh_token"));

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.text("refresh_token")).isNotBlank().isNotEqualTo(first.text("refresh_token"));
        assertThat(sts.verifiedJwt(second.text("access_token")).getJWTClaimsSet().getSubject()).isEqualTo("nuwan");
        assertThat(refresh(second.text("refresh_token")).status()).isEqualTo(200);
    }

    @Test
    void refreshWhenRotatedTokenReusedThenWholeFamilyRevoked() {
        StsHttp.Response first = login();
        StsHttp.Response second = refresh(first.text("refresh_token"));
        assertThat(second.status()).isEqualTo(200);
        assertThat(sts.introspect("bulwark-gateway", gatewaySecret, second.text("access_token")).body()
                .get("active").asBoolean()).isTrue();

        StsHttp.Response replay = refresh(first.text("refresh_token"));

        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.text("error")).isEqualTo("invalid_grant");
        assertThat(replay.text("access_token")).isNull();
        StsHttp.Response current = refresh(second.text("refresh_token"));
        assertThat(current.status()).isEqualTo(400);
        assertThat(current.text("error")).isEqualTo("invalid_grant");
        assertThat(sts.introspect("bulwark-gateway", gatewaySecret, second.text("access_token")).body()
                .get("active").asBoolean()).isFalse();
    }

    @Test
    void refreshWhenOtherFamilyReusedThenThisFamilyUnaffected() {
        StsHttp.Response mine = login();
        StsHttp.Response other = login();
        refresh(other.text("refresh_token"));
        refresh(other.text("refresh_token"));

        assertThat(refresh(mine.text("refresh_token")).status()).isEqualTo(200);
    }

    @Test
    void refreshWhenTokenOfAnotherClientThenInvalidGrant() {
        StsHttp.Response mine = login();

        StsHttp.Response r = sts.token("partnerapp", "partnerappsecret",
                "grant_type", "refresh_token", "refresh_token", mine.text("refresh_token"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text("error")).isIn("invalid_grant", "unauthorized_client");
    }
}
