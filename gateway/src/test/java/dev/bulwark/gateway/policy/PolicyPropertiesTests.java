package dev.bulwark.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class PolicyPropertiesTests {

    private static final PolicyProperties.Opa NO_OPA = new PolicyProperties.Opa(null, "bulwark/allow", Duration.ofSeconds(1),
            "spiffe://ecomm.local/opa");
    private static final PolicyProperties.Admin NO_ADMIN = new PolicyProperties.Admin(0, "spiffe://ecomm.local/admin");

    @Test
    void defaultsAreValid() {
        PolicyProperties properties = new PolicyProperties(PolicyProperties.Engine.CEDAR, null, Duration.ofSeconds(2), "Order",
                NO_OPA, NO_ADMIN);
        assertThat(properties.engine()).isEqualTo(PolicyProperties.Engine.CEDAR);
    }

    @Test
    void everyProblemIsListedTogether() {
        assertThatThrownBy(() -> new PolicyProperties(PolicyProperties.Engine.OPA, Path.of("/nonexistent/policies"),
                Duration.ofSeconds(-1), "Invoice", new PolicyProperties.Opa(URI.create("ftp://opa"), "../etc", Duration.ZERO, "x"),
                new PolicyProperties.Admin(70000, "admin")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy.dir: /nonexistent/policies")
                .hasMessageContaining("reload-interval: PT-1S")
                .hasMessageContaining("resource-type: Invoice")
                .hasMessageContaining("opa.url: ftp://opa")
                .hasMessageContaining("opa.path: ../etc")
                .hasMessageContaining("opa.timeout: PT0S")
                .hasMessageContaining("admin.port: 70000")
                .hasMessageContaining("admin.spiffe-id: admin");
    }

    @Test
    void opaEngineNeedsAUrl() {
        assertThatThrownBy(() -> new PolicyProperties(PolicyProperties.Engine.OPA, null, Duration.ofSeconds(2), "Order",
                NO_OPA, NO_ADMIN)).hasMessageContaining("opa.url: null");
    }

    @Test
    void adminApiOnlyWithCedar() {
        assertThatThrownBy(() -> new PolicyProperties(PolicyProperties.Engine.NONE, null, Duration.ofSeconds(2), "Order",
                NO_OPA, new PolicyProperties.Admin(9444, "spiffe://ecomm.local/admin")))
                .hasMessageContaining("admin API only with engine cedar");
    }
}
