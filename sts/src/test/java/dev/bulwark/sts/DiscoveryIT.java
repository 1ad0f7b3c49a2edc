package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.nimbusds.jose.jwk.JWKSet;

@StsIntegrationTest
class DiscoveryIT {

    @LocalServerPort
    int port;

    StsHttp sts;

    @BeforeEach
    void setUp() {
        sts = new StsHttp(port);
    }

    @Test
    void openidConfigurationWhenRequestedThenListsEndpointsOfIssuer() {
        assertMetadata(sts.get("/.well-known/openid-configuration"));
    }

    @Test
    void oauthAuthorizationServerMetadataWhenRequestedThenListsEndpointsOfIssuer() {
        assertMetadata(sts.get("/.well-known/oauth-authorization-server"));
    }

    private void assertMetadata(StsHttp.Response r) {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("issuer")).isEqualTo("http://sts.test");
        assertThat(r.text("token_endpoint")).isEqualTo("http://sts.test/oauth2/token");
        assertThat(r.text("jwks_uri")).isEqualTo("http://sts.test/oauth2/jwks");
        assertThat(r.text("introspection_endpoint")).isEqualTo("http://sts.test/oauth2/introspect");
        assertThat(r.text("revocation_endpoint")).isEqualTo("http://sts.test/oauth2/revoke");
        assertThat(r.body().get("grant_types_supported").toString())
                .contains("client_credentials", "refresh_token", "password");
    }

    @Test
    void jwksWhenRequestedThenOnlyPublicEcKeysWithKid() throws Exception {
        JWKSet jwks = JWKSet.parse(sts.get("/oauth2/jwks").raw());

        assertThat(jwks.getKeys()).isNotEmpty().allSatisfy(k -> {
            assertThat(k.isPrivate()).isFalse();
            assertThat(k.getKeyID()).isNotBlank();
            assertThat(k.getKeyType().getValue()).isEqualTo("EC");
        });
        assertThat(sts.get("/oauth2/jwks").raw()).doesNotContain("\"d\"");
    }
}
