package dev.bulwark.order.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class OrderPropertiesTests {

    @Test
    void constructorWhenJwkSetFileMissingThenNamesTheProperty() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new OrderProperties(new OrderProperties.UserContext("bulwark-gateway", "order-service", null),
                    DataSize.ofKilobytes(16)))
            .withMessageContaining("bulwark.order.user-context.jwk-set-file is not set");
    }

    @Test
    void constructorWhenSeveralProblemsThenListsThemAll() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new OrderProperties(new OrderProperties.UserContext(" ", "", null), DataSize.ofBytes(0)))
            .withMessageContaining("max-body-size")
            .withMessageContaining("issuer")
            .withMessageContaining("audience")
            .withMessageContaining("jwk-set-file");
    }

    @Test
    void constructorWhenValidThenKeepsValues() {
        OrderProperties properties = new OrderProperties(
                new OrderProperties.UserContext("bulwark-gateway", "order-service", Path.of("k.jwks")),
                DataSize.ofKilobytes(16));
        assertThat(properties.userContext().requiredJwkSetFile()).isEqualTo(Path.of("k.jwks"));
    }
}
