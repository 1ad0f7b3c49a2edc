package dev.bulwark.sts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StsPropertiesValidatorTests {

    private static StsProperties props(Map<String, StsProperties.Client> clients, Map<String, StsProperties.User> users) {
        return new StsProperties("https://localhost:9443", "bulwark-api", Duration.ofMinutes(5), Duration.ofHours(8),
                Duration.ofMinutes(5),
                new StsProperties.Keys(Path.of("kek"), Duration.ofDays(30), Duration.ofDays(2), Duration.ofMinutes(1)),
                new StsProperties.Lockout(5, Duration.ofMinutes(15), Duration.ofMinutes(15)),
                new StsProperties.SecretCache(Duration.ofMinutes(5), 100), clients, users);
    }

    @Test
    void validateWhenDemoLikeConfigurationThenNoProblems() {
        var c = new StsProperties.Client("orderprocessingappsecret", null,
                List.of("client_credentials", "password", "refresh_token"), List.of("orders:read"), "jwt", null, null, null, "client_secret", null, false);
        assertThat(StsPropertiesValidator.validate(props(Map.of("app", c),
                Map.of("peter", new StsProperties.User("peter123", null))))).isEmpty();
    }

    @Test
    void requireValidWhenSeveralProblemsThenListsEveryOne() {
        var noSecret = new StsProperties.Client(null, null, List.of("client_credentials"), List.of(), "jwt", null, null, null, "client_secret", null, false);
        var badGrant = new StsProperties.Client("longenoughsecret", null, List.of("implicit"), List.of(), "opaque", null, null, null, "client_secret", null, false);
        var noPassword = new StsProperties.User(null, null);

        assertThatThrownBy(() -> StsPropertiesValidator.requireValid(
                props(Map.of("a", noSecret, "b", badGrant), Map.of("u", noPassword))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("4 problem(s)")
                .hasMessageContaining("bulwark.sts.clients.a: (expected: exactly one of secret, secret-file)")
                .hasMessageContaining("bulwark.sts.clients.b.grant-types: implicit")
                .hasMessageContaining("bulwark.sts.clients.b.token-format: opaque")
                .hasMessageContaining("bulwark.sts.users.u");
    }

    private static StsProperties.Client workload(String secret, String method, String spiffeId, boolean bound) {
        return new StsProperties.Client(secret, null, List.of("client_credentials"), List.of("inventory:write"), "jwt",
                null, null, null, method, spiffeId, bound);
    }

    @Test
    void validateWhenTlsClientAuthWithSpiffeIdAndNoSecretThenNoProblems() {
        assertThat(StsPropertiesValidator.validate(props(Map.of("order-service",
                workload(null, "tls_client_auth", "spiffe://ecomm.local/order", true)), Map.of()))).isEmpty();
    }

    @Test
    void validateWhenTlsClientAuthMisconfiguredThenEveryProblemListed() {
        assertThat(StsPropertiesValidator.validate(props(Map.of(
                "a", workload(null, "tls_client_auth", null, false),
                "b", workload("longenoughsecret", "tls_client_auth", "spiffe://ecomm.local/order", false),
                "c", workload(null, "tls_client_auth", "spiffe://ecomm.local/../order", false),
                "d", workload(null, "private_key_jwt", null, false),
                "e", workload("longenoughsecret", "client_secret", "spiffe://ecomm.local/order", true)), Map.of())))
                .containsExactlyInAnyOrder(
                        "bulwark.sts.clients.a.spiffe-id: missing (expected: the SPIFFE ID of the client's X.509-SVID,"
                                + " e.g. spiffe://ecomm.local/order)",
                        "bulwark.sts.clients.b: (expected: no secret or secret-file with authentication-method tls_client_auth)",
                        "bulwark.sts.clients.c.spiffe-id: spiffe://ecomm.local/../order"
                                + " (expected: spiffe://<trust-domain>/<path>, SPIFFE ID §2)",
                        "bulwark.sts.clients.d.authentication-method: private_key_jwt"
                                + " (expected: client_secret or tls_client_auth)",
                        "bulwark.sts.clients.e.spiffe-id: spiffe://ecomm.local/order"
                                + " (expected: only with authentication-method tls_client_auth)",
                        "bulwark.sts.clients.e.certificate-bound-access-tokens: true"
                                + " (expected: only with authentication-method tls_client_auth)");
    }
}
