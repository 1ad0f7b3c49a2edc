package dev.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class GatewayPropertiesTests {

    @Test
    void constructorWhenDefaultsThenValid() {
        GatewayProperties properties = properties(List.of("ES256"), Duration.ofSeconds(10), "bulwark-api", null);
        assertThat(properties.algorithms()).containsExactly("ES256");
    }

    @Test
    void constructorWhenSeveralProblemsThenAllListedTogether() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> properties(List.of("none", "HS256"), Duration.ofHours(1), " ",
                        Path.of("/nonexistent/secret")))
                .withMessageContaining("algorithms: none")
                .withMessageContaining("algorithms: HS256")
                .withMessageContaining("introspection-cache-ttl: PT1H")
                .withMessageContaining("audience: blank")
                .withMessageContaining("introspection-client-secret-file: /nonexistent/secret");
    }

    private static GatewayProperties properties(List<String> algorithms, Duration ttl, String audience, Path secret) {
        return new GatewayProperties("https://localhost:9443", URI.create("https://localhost:9443/oauth2/jwks"),
                URI.create("https://localhost:9443/oauth2/introspect"), "bulwark-gateway", secret, audience,
                algorithms, ttl, URI.create("http://localhost:8081"),
                new GatewayProperties.UserContext(null, "bulwark-gateway", "order-service", Duration.ofSeconds(60)),
                "spiffe://ecomm.local/order", "spiffe://ecomm.local/sts");
    }
}
