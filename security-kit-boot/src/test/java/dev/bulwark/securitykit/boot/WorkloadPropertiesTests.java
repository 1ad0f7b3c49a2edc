package dev.bulwark.securitykit.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class WorkloadPropertiesTests {

    private static WorkloadProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("bulwark.workload", WorkloadProperties.class);
    }

    @Test
    void bindWhenOnlySocketAndAllowedClientsThenSecureDefaults() {
        WorkloadProperties properties = bind(Map.of(
                "bulwark.workload.socket", "/run/agent.sock",
                "bulwark.workload.server.allowed-clients", "spiffe://ecomm.local/gateway,spiffe://ecomm.local/sts"));

        assertThat(properties.socket()).isEqualTo(Path.of("/run/agent.sock"));
        assertThat(properties.server().clientAuth()).isEqualTo(WorkloadProperties.ClientAuth.NEED);
        assertThat(properties.server().allowedClients()).containsExactly("spiffe://ecomm.local/gateway", "spiffe://ecomm.local/sts");
        assertThat(properties.revocation().enabled()).isTrue();
        assertThat(properties.firstSvidTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void bindWhenClientAuthNoneThenNoAllowedClientsNeeded() {
        WorkloadProperties properties = bind(Map.of("bulwark.workload.socket", "/s", "bulwark.workload.server.client-auth", "none"));

        assertThat(properties.server().clientAuth()).isEqualTo(WorkloadProperties.ClientAuth.NONE);
        assertThat(properties.server().allowedClients()).isEmpty();
    }

    @Test
    void bindWhenNeedWithoutAllowedClientsAndBadIdThenEveryProblemIsListed() {
        assertThatThrownBy(() -> bind(Map.of(
                "bulwark.workload.socket", "/s",
                "bulwark.workload.first-svid-timeout", "PT0S",
                "bulwark.workload.server.client-auth", "want",
                "bulwark.workload.server.allowed-clients", "https://ecomm.local/gateway")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("first-svid-timeout: PT0S (expected: > 0)")
                .hasMessageContaining("allowed-clients: https://ecomm.local/gateway (expected: spiffe://<trust-domain>/<path>)");
        assertThatThrownBy(() -> bind(Map.of("bulwark.workload.socket", "/s")))
                .rootCause()
                .hasMessageContaining("bulwark.workload.server.allowed-clients: [] (expected: the SPIFFE IDs that may connect, when client-auth is need)");
    }
}
