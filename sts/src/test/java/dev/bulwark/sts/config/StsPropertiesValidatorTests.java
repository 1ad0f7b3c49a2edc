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
                List.of("client_credentials", "password", "refresh_token"), List.of("orders:read"), "jwt", null, null, null);
        assertThat(StsPropertiesValidator.validate(props(Map.of("app", c),
                Map.of("peter", new StsProperties.User("peter123", null))))).isEmpty();
    }

    @Test
    void requireValidWhenSeveralProblemsThenListsEveryOne() {
        var noSecret = new StsProperties.Client(null, null, List.of("client_credentials"), List.of(), "jwt", null, null, null);
        var badGrant = new StsProperties.Client("longenoughsecret", null, List.of("implicit"), List.of(), "opaque", null, null, null);
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
}
