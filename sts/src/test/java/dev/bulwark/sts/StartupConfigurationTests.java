package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.WebApplicationType;

class StartupConfigurationTests {

    @Test
    void startWhenConfigurationWrongThenFailsListingEveryProblem() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(StsApplication.class)
                .web(WebApplicationType.NONE)
                .run("--bulwark.home=target/startup-test-home",
                        "--spring.datasource.url=jdbc:h2:mem:sts-startup-test",
                        "--bulwark.sts.clients.broken.secret=brokensecret",
                        "--bulwark.sts.clients.broken.grant-types=client_credentials,implicit",
                        "--bulwark.sts.clients.nosecret.grant-types=client_credentials",
                        "--bulwark.sts.keys.publish-ahead=P31D")
                .close())
                .rootCause()
                .hasMessageContaining("3 problem(s)")
                .hasMessageContaining("bulwark.sts.clients.nosecret: (expected: exactly one of secret, secret-file)")
                .hasMessageContaining("bulwark.sts.clients.broken.grant-types: implicit")
                .hasMessageContaining("bulwark.sts.keys.publish-ahead: PT744H")
                .hasMessageNotContaining("brokensecret");
    }

    @Test
    void startWhenDelegationConfigurationWrongThenFailsListingEveryProblem() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(StsApplication.class)
                .web(WebApplicationType.NONE)
                .run("--bulwark.home=target/startup-test-home",
                        "--spring.datasource.url=jdbc:h2:mem:sts-startup-test-2",
                        "--bulwark.sts.clients.order-service.token-exchange.targets.inventory.scopes=",
                        "--bulwark.sts.trusted-issuers.gateway.jwk-set-uri=https://gateway.test/jwks")
                .close())
                .rootCause()
                .hasMessageContaining("2 problem(s)")
                .hasMessageContaining("bulwark.sts.clients.order-service.token-exchange.targets.inventory.scopes: empty")
                .hasMessageContaining("bulwark.sts.trusted-issuers.gateway: (expected: exactly one of jwk-set-uri, jwk-set-file)");
    }
}
