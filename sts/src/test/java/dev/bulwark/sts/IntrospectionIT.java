package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@StsIntegrationTest
class IntrospectionIT {

    @LocalServerPort
    int port;

    StsHttp sts;
    String gatewaySecret;

    @BeforeEach
    void setUp() throws Exception {
        sts = new StsHttp(port);
        gatewaySecret = Files.readString(Path.of("target/it-home/secrets/bulwark-gateway-client-secret")).strip();
    }

    private String partnerToken() {
        StsHttp.Response r = sts.token("partnerapp", "partnerappsecret",
                "grant_type", "client_credentials", "scope", "orders:read orders:write");
        assertThat(r.status()).isEqualTo(200);
        return r.text("access_token");
    }

    @Test
    void introspectWhenReferenceTokenThenActiveWithClaims() {
        String token = partnerToken();
        assertThat(token.split("\\.")).as("opaque, not a JWT").hasSizeLessThan(3);

        StsHttp.Response r = sts.introspect("bulwark-gateway", gatewaySecret, token);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("active").asBoolean()).isTrue();
        assertThat(r.text("client_id")).isEqualTo("partnerapp");
        assertThat(r.text("sub")).isEqualTo("partnerapp");
        assertThat(r.text("scope")).isEqualTo("orders:read orders:write");
        assertThat(r.text("iss")).isEqualTo("http://sts.test");
        assertThat(r.body().get("aud").toString()).contains("bulwark-api");
        assertThat(r.body().get("exp").asLong()).isPositive();
    }

    @Test
    void introspectWhenReferenceTokenRevokedThenInactive() {
        String token = partnerToken();

        StsHttp.Response revoked = sts.revoke("partnerapp", "partnerappsecret", token);

        assertThat(revoked.status()).isEqualTo(200);
        StsHttp.Response r = sts.introspect("bulwark-gateway", gatewaySecret, token);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("active").asBoolean()).isFalse();
        assertThat(r.body().size()).isEqualTo(1);
    }

    @Test
    void introspectWhenUnknownTokenThenInactive() {
        StsHttp.Response r = sts.introspect("bulwark-gateway", gatewaySecret, "not-a-token");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("active").asBoolean()).isFalse();
    }

    @Test
    void introspectWhenNoClientAuthenticationThenUnauthorized() {
        String token = partnerToken();

        StsHttp.Response r = sts.post("/oauth2/introspect", null, null, "token", token);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.text("error")).isEqualTo("invalid_client");
        assertThat(r.raw()).doesNotContain("active");
    }

    @Test
    void introspectWhenWrongClientSecretThenInvalidClient() {
        StsHttp.Response r = sts.introspect("bulwark-gateway", "wrong-secret", partnerToken());

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.text("error")).isEqualTo("invalid_client");
    }

    @Test
    void revokeWhenTokenOfAnotherClientThenTokenStaysActive() {
        String token = partnerToken();

        sts.revoke("orderprocessingservice", "orderprocessingservicesecret", token);

        assertThat(sts.introspect("bulwark-gateway", gatewaySecret, token).body().get("active").asBoolean()).isTrue();
    }
}
