package dev.bulwark.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ClientBundleEnvironmentPostProcessorTests {

    private final ClientBundleEnvironmentPostProcessor processor = new ClientBundleEnvironmentPostProcessor();

    @Test
    void postProcessWhenClientBundleConfiguredThenUpstreamUsesIt() {
        StandardEnvironment environment = environment(Map.of(
                "spring.ssl.bundle.pem.client.truststore.certificate", "file:ca.pem"));
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty(ClientBundleEnvironmentPostProcessor.UPSTREAM_BUNDLE_PROPERTY))
                .isEqualTo("client");
    }

    @Test
    void postProcessWhenNoClientBundleThenNothingSet() {
        StandardEnvironment environment = environment(Map.of(
                "spring.ssl.bundle.pem.server.keystore.certificate", "file:gw.crt"));
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.containsProperty(ClientBundleEnvironmentPostProcessor.UPSTREAM_BUNDLE_PROPERTY)).isFalse();
    }

    @Test
    void postProcessWhenExplicitlySetThenLeftAlone() {
        StandardEnvironment environment = environment(Map.of(
                "spring.ssl.bundle.pem.client.truststore.certificate", "file:ca.pem",
                ClientBundleEnvironmentPostProcessor.UPSTREAM_BUNDLE_PROPERTY, "other"));
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty(ClientBundleEnvironmentPostProcessor.UPSTREAM_BUNDLE_PROPERTY))
                .isEqualTo("other");
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
