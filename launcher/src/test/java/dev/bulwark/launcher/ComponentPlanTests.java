package dev.bulwark.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentPlanTests {

    @TempDir
    Path repository;

    @BeforeEach
    void fakeJars() throws IOException {
        for (String jar : List.of("identity/target/bulwark-identity-1-exec.jar", "identity/target/bulwark-identity-1.jar",
                "sts/target/bulwark-sts-1.jar", "gateway/target/bulwark-gateway-1.jar",
                "services/order/target/bulwark-order-1.jar")) {
            Files.createDirectories(repository.resolve(jar).getParent());
            Files.createFile(repository.resolve(jar));
        }
    }

    @Test
    void overriddenWhenSetNamesAPlannedKeyThenOnlyTheSetValueRemains() {
        List<String> merged = ComponentPlan.overridden(
                List.of("--server.port=1", "--server.ssl.client-auth=need"),
                List.of("--server.ssl.client-auth=want", "--extra=x"));

        assertThat(merged).containsExactly("--server.port=1", "--server.ssl.client-auth=want", "--extra=x");
    }

    @Test
    void componentsWhenPlannedThenIdentityStartsFirstFromItsExecJar() {
        List<Component> components = plan("up").components();

        assertThat(components).extracting(Component::name).containsExactly("identity", "sts", "order", "gateway");
        assertThat(components.get(0).jar().getFileName()).hasToString("bulwark-identity-1-exec.jar");
    }

    @Test
    void portsWhenPlannedManyTimesThenNeverTwoAlikeInOnePlan() {
        for (int i = 0; i < 200; i++) {
            List<String> ports = plan("up").components().stream()
                    .flatMap(c -> c.arguments().stream())
                    .filter(a -> a.matches("--(server\\.port|management\\.server\\.port|bulwark\\.identity\\.revocation-port)=.*"))
                    .map(a -> a.substring(a.indexOf('=') + 1))
                    .toList();
            assertThat(ports).hasSize(9).doesNotHaveDuplicates();
        }
    }

    @Test
    void identityWhenPlannedThenContractArgumentsAndEndpoints() {
        Component identity = byName(plan("up").components()).get("identity");
        Path home = repository.resolve(".bulwark");

        assertThat(identity.arguments()).contains(
                "--bulwark.home=" + home,
                "--bulwark.identity.trust-domain=ecomm.local",
                "--bulwark.identity.svid-lifetime=PT1H",
                "--bulwark.identity.socket=" + home.resolve("identity/agent.sock"),
                "--management.server.port=" + identity.managementPort());
        String revocationPort = argument(identity, "--bulwark.identity.revocation-port");
        assertThat(identity.endpoints()).containsEntry("workload_api", home.resolve("identity/agent.sock").toString())
                .containsEntry("ocsp", "http://127.0.0.1:" + revocationPort + "/ocsp")
                .containsEntry("crl", "http://127.0.0.1:" + revocationPort + "/crl");
        assertThat(identity.url()).isEqualTo("https://localhost:" + argument(identity, "--server.port"));
        assertThat(List.of(revocationPort, argument(identity, "--server.port"), String.valueOf(identity.managementPort())))
                .doesNotHaveDuplicates();
    }

    @Test
    void workloadsWhenPlannedThenTlsComesFromTheWorkloadApiNotFromPemBundles() {
        Map<String, Component> components = byName(plan("up").components());
        String socket = "--bulwark.workload.socket=" + repository.resolve(".bulwark/identity/agent.sock");

        for (String name : List.of("sts", "order", "gateway")) {
            assertThat(components.get(name).arguments()).contains(socket)
                    .noneMatch(a -> a.startsWith("--server.ssl.") || a.startsWith("--spring.ssl.bundle."));
            assertThat(components.get(name).spiffeId()).isEqualTo("spiffe://ecomm.local/" + name);
        }
        assertThat(components.get("order").arguments()).contains("--bulwark.workload.server.client-auth=need",
                "--bulwark.workload.server.allowed-clients=spiffe://ecomm.local/gateway");
        assertThat(components.get("sts").arguments()).contains("--bulwark.workload.server.client-auth=want",
                "--bulwark.workload.server.allowed-clients=spiffe://ecomm.local/gateway,spiffe://ecomm.local/order");
        assertThat(components.get("gateway").arguments()).contains("--bulwark.workload.server.client-auth=none");
    }

    @Test
    void identityWhenSetSvidLifetimeThenItReplacesTheDefault() {
        Component identity = byName(plan("up", "--set", "identity:bulwark.identity.svid-lifetime=PT10S").components())
                .get("identity");

        assertThat(identity.arguments()).contains("--bulwark.identity.svid-lifetime=PT10S")
                .doesNotContain("--bulwark.identity.svid-lifetime=PT1H");
    }

    private ComponentPlan plan(String... args) {
        LaunchOptions options = LaunchOptions.parse(List.of(args), repository);
        return new ComponentPlan(options, new LocalMaterials(options.home()));
    }

    private static Map<String, Component> byName(List<Component> components) {
        return components.stream().collect(Collectors.toMap(Component::name, Function.identity()));
    }

    private static String argument(Component component, String key) {
        return component.arguments().stream().filter(a -> a.startsWith(key + "=")).findFirst()
                .map(a -> a.substring(key.length() + 1)).orElseThrow();
    }
}
