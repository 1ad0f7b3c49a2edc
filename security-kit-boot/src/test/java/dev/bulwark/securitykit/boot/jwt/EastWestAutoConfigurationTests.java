package dev.bulwark.securitykit.boot.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.securitykit.jwt.EastWestVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

class EastWestAutoConfigurationTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EastWestAutoConfiguration.class));

    @Test
    void contextWhenNoAudienceThenNothingIsConfigured() {
        runner.run(context -> assertThat(context).doesNotHaveBean(EastWestVerifier.class)
                .doesNotHaveBean(EastWestResourceServer.class));
    }

    @Test
    void contextWhenAudienceSetThenVerifierResolverAndAuditFilter() {
        runner.withPropertyValues("bulwark.east-west.audience=inventory-service").run(context -> {
            assertThat(context).hasSingleBean(EastWestResourceServer.class).hasBean("auditLogFilter");
            assertThat(context.getBean(EastWestVerifier.class).audience()).isEqualTo("inventory-service");
        });
    }

    @Test
    void contextWhenConfigurationIsWrongThenStartupFailsListingEveryProblem() {
        runner.withPropertyValues("bulwark.east-west.audience=inventory-service",
                "bulwark.east-west.trusted-issuers[0].issuer=https://sts.test",
                "bulwark.east-west.self-issued-signers=order").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                            "bulwark.east-west.trusted-issuers[0].jwk-set-uri/jwk-set-file: null/null (expected: exactly one of them)")
                            .hasMessageContaining("bulwark.east-west.self-issued-signers: order");
                });
    }

    @Test
    void contextWhenIssuerKeysByUriThenJwksRefreshesAreCountedAsEastWest() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("bulwark.east-west.audience=inventory-service",
                        "bulwark.east-west.trusted-issuers[0].issuer=https://sts.test",
                        "bulwark.east-west.trusted-issuers[0].jwk-set-uri=https://127.0.0.1:1/oauth2/jwks")
                .run(context -> {
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("bulwark.jwks.refreshes").tag("source", "east-west").tag("result", "ok")
                            .counter().count()).isZero();
                    assertThat(meters.get("bulwark.jwks.refreshes").tag("source", "east-west").tag("result", "failed")
                            .counter()).isNotNull();
                });
    }
}
