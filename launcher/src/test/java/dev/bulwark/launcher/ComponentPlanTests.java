package dev.bulwark.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                "services/order/target/bulwark-order-1.jar", "services/inventory/target/bulwark-inventory-1.jar",
                "services/delivery/target/bulwark-delivery-1.jar")) {
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

        assertThat(components).extracting(Component::name).containsExactly("identity", "logistics-identity",
                "sts", "order", "inventory", "gateway", "logistics-sts", "logistics-gateway", "delivery");
        assertThat(components.get(0).jar().getFileName()).hasToString("bulwark-identity-1-exec.jar");
        assertThat(components.get(1).jar().getFileName()).hasToString("bulwark-identity-1-exec.jar");
        assertThat(components.subList(0, 2)).allMatch(Component::isIdentity);
        assertThat(components.subList(2, components.size())).noneMatch(Component::isIdentity);
    }

    @Test
    void portsWhenPlannedManyTimesThenNeverTwoAlikeInOnePlan() {
        for (int i = 0; i < 200; i++) {
            // 2 identities × 3 ports + 7 workloads × 2 ports, all 9 components
            assertThat(ports(plan("up").components())).hasSize(20).doesNotHaveDuplicates();
            assertThat(ports(plan("up", "--without-logistics").components())).hasSize(11).doesNotHaveDuplicates();
        }
    }

    @Test
    void portsWhenPlannedThenEachUrlAndManagementPortIsTheOneItsArgumentsName() {
        for (Component component : plan("up").components()) {
            assertThat(component.url()).isEqualTo("https://localhost:" + argument(component, "--server.port"));
            assertThat(argument(component, "--management.server.port")).isEqualTo(String.valueOf(component.managementPort()));
        }
        assertThat(byName(plan("up").components()).get("gateway").url()).isEqualTo("https://localhost:8443");
        assertThat(byName(plan("up").components()).get("sts").url()).isEqualTo("https://localhost:9443");
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

        for (String name : List.of("sts", "order", "inventory", "gateway")) {
            assertThat(components.get(name).arguments()).contains(socket)
                    .noneMatch(a -> a.startsWith("--server.ssl.") || a.startsWith("--spring.ssl.bundle."));
            assertThat(components.get(name).spiffeId()).isEqualTo("spiffe://ecomm.local/" + name);
        }
        assertThat(components.get("order").arguments()).contains("--bulwark.workload.server.client-auth=need",
                "--bulwark.workload.server.allowed-clients=spiffe://ecomm.local/gateway");
        // the gateway and order are its OAuth clients; inventory and the logistics STS and gateway fetch its JWKS
        assertThat(components.get("sts").arguments()).contains("--bulwark.workload.server.client-auth=want",
                "--bulwark.workload.server.allowed-clients=spiffe://ecomm.local/gateway,spiffe://ecomm.local/order,"
                        + "spiffe://ecomm.local/inventory,spiffe://logistics.local/sts,spiffe://logistics.local/gateway");
        assertThat(components.get("gateway").arguments()).contains("--bulwark.workload.server.client-auth=none");
    }

    @Test
    void identityWhenSetSvidLifetimeThenItReplacesTheDefault() {
        Component identity = byName(plan("up", "--set", "identity:bulwark.identity.svid-lifetime=PT10S").components())
                .get("identity");

        assertThat(identity.arguments()).contains("--bulwark.identity.svid-lifetime=PT10S")
                .doesNotContain("--bulwark.identity.svid-lifetime=PT1H");
    }

    @Test
    void componentsWhenPlannedThenEachIsRegisteredWithItsOwnDomainsIdentity() {
        Map<String, Component> components = byName(plan("up").components());
        Path home = repository.resolve(".bulwark");
        Map<String, String> ids = Map.of(
                "sts", "spiffe://ecomm.local/sts", "order", "spiffe://ecomm.local/order",
                "inventory", "spiffe://ecomm.local/inventory", "gateway", "spiffe://ecomm.local/gateway",
                "logistics-sts", "spiffe://logistics.local/sts", "logistics-gateway", "spiffe://logistics.local/gateway",
                "delivery", "spiffe://logistics.local/delivery");

        ids.forEach((name, id) -> {
            Component component = components.get(name);
            boolean logistics = id.startsWith("spiffe://logistics.local/");
            Path domainHome = logistics ? home.resolve("logistics") : home;
            assertThat(component.spiffeId()).as(name).isEqualTo(id);
            assertThat(component.arguments()).as(name).contains(
                    "--bulwark.workload.socket=" + domainHome.resolve("identity/agent.sock"),
                    "--bulwark.home=" + domainHome);
            assertThat(component.domain().registrations().file()).as(name)
                    .isEqualTo(domainHome.resolve("identity/registrations"));
        });
    }

    @Test
    void identitiesWhenPlannedThenTwoTrustDomainsEachFederatingTheOthersBundle() {
        Map<String, Component> components = byName(plan("up").components());
        Path home = repository.resolve(".bulwark");
        Component ecomm = components.get("identity");
        Component logistics = components.get("logistics-identity");

        assertThat(ecomm.arguments()).contains("--bulwark.identity.trust-domain=ecomm.local",
                "--bulwark.identity.federation=logistics.local=" + home.resolve("logistics/pki/bundle.pem"));
        assertThat(logistics.arguments()).contains(
                "--bulwark.home=" + home.resolve("logistics"),
                "--bulwark.identity.trust-domain=logistics.local",
                "--bulwark.identity.socket=" + home.resolve("logistics/identity/agent.sock"),
                "--bulwark.identity.federation=ecomm.local=" + home.resolve("pki/bundle.pem"));
        assertThat(logistics.endpoints()).containsEntry("workload_api", home.resolve("logistics/identity/agent.sock").toString())
                .containsEntry("trust_bundle", home.resolve("logistics/pki/bundle.pem").toString());
        assertThat(logistics.domain().trustBundle()).isEqualTo(home.resolve("logistics/pki/bundle.pem"));
    }

    @Test
    void orderWhenPlannedThenItKnowsInventoryDeliveryAndBothLogisticsEndpoints() {
        Map<String, Component> components = byName(plan("up").components());
        Component order = components.get("order");

        assertThat(order.arguments()).contains(
                "--bulwark.order.sts.token-uri=https://localhost:9443/oauth2/token",
                "--bulwark.order.sts.spiffe-id=spiffe://ecomm.local/sts",
                "--bulwark.order.inventory.uri=" + components.get("inventory").url(),
                "--bulwark.order.inventory.spiffe-id=spiffe://ecomm.local/inventory",
                "--bulwark.order.delivery.uri=" + components.get("delivery").url(),
                "--bulwark.order.delivery.spiffe-id=spiffe://logistics.local/delivery",
                "--bulwark.order.logistics-sts.issuer=" + components.get("logistics-sts").url(),
                "--bulwark.order.logistics-sts.token-uri=" + components.get("logistics-sts").url() + "/oauth2/token",
                "--bulwark.order.logistics-sts.spiffe-id=spiffe://logistics.local/sts",
                "--bulwark.order.logistics-gateway.uri=" + components.get("logistics-gateway").url(),
                "--bulwark.order.logistics-gateway.spiffe-id=spiffe://logistics.local/gateway")
                .noneMatch(a -> a.startsWith("--bulwark.order.delivery.flow="));
    }

    @Test
    void policyWhenPlannedThenGatewayAndOrderShareOneDirectoryAndTheAdminApiIsListed() {
        Map<String, Component> components = byName(plan("up").components());
        Path policy = repository.resolve(".bulwark/policy");
        Component gateway = components.get("gateway");

        assertThat(components.get("order").arguments()).contains("--bulwark.order.policy.dir=" + policy);
        assertThat(gateway.arguments()).contains("--bulwark.gateway.policy.dir=" + policy,
                "--bulwark.gateway.route.delete-scope=orders:write",
                "--bulwark.gateway.policy.admin.spiffe-id=spiffe://ecomm.local/admin");
        String adminPort = argument(gateway, "--bulwark.gateway.policy.admin.port");
        assertThat(gateway.endpoints()).containsEntry("policy_admin", "https://127.0.0.1:" + adminPort + "/admin/policy");
        assertThat(components.get("logistics-gateway").arguments()).contains("--bulwark.gateway.policy.engine=none",
                "--spring.application.name=logistics-gateway");
        assertThat(components.get("logistics-sts").arguments()).contains("--spring.application.name=logistics-sts");
    }

    @Test
    void logisticsWhenPlannedThenStsGatewayAndDeliveryAreWiredToTheirIssuers() {
        Map<String, Component> components = byName(plan("up").components());
        String ecommSts = components.get("sts").url();
        String logisticsSts = components.get("logistics-sts").url();
        Path home = repository.resolve(".bulwark");

        assertThat(components.get("sts").arguments()).contains("--bulwark.sts.issuer=" + ecommSts,
                "--bulwark.sts.logistics-issuer=" + logisticsSts);
        assertThat(components.get("logistics-sts").arguments()).contains(
                "--spring.profiles.active=logistics",
                "--bulwark.sts.issuer=" + logisticsSts,
                "--bulwark.sts.ecomm-issuer=" + ecommSts,
                "--bulwark.sts.keys.kek-file=" + home.resolve("logistics/keys/sts-kek"),
                "--bulwark.workload.server.allowed-clients=spiffe://logistics.local/gateway,spiffe://ecomm.local/order,"
                        + "spiffe://logistics.local/delivery",
                "--spring.datasource.url=jdbc:h2:file:" + home.resolve("logistics/data/sts") + ";DB_CLOSE_ON_EXIT=FALSE")
                .noneMatch(a -> a.contains("bulwark-gateway"));
        assertThat(components.get("logistics-gateway").arguments()).contains(
                "--bulwark.gateway.issuer=" + ecommSts,
                "--bulwark.gateway.jwk-set-uri=" + ecommSts + "/oauth2/jwks",
                "--bulwark.gateway.sts-spiffe-id=spiffe://ecomm.local/sts",
                "--bulwark.gateway.audience=logistics-gateway",
                "--bulwark.gateway.route.uri=" + components.get("delivery").url(),
                "--bulwark.gateway.route.spiffe-id=spiffe://logistics.local/delivery",
                "--bulwark.gateway.route.path-prefix=/api/deliveries",
                "--bulwark.gateway.upstream-credential=token-exchange",
                "--bulwark.gateway.token-exchange.token-uri=" + logisticsSts + "/oauth2/token",
                "--bulwark.gateway.token-exchange.audience=delivery-service")
                .noneMatch(a -> a.startsWith("--bulwark.gateway.introspection-client-secret-file="));
        assertThat(components.get("delivery").arguments()).contains(
                "--bulwark.workload.server.client-auth=need",
                "--bulwark.workload.server.allowed-clients=spiffe://logistics.local/gateway,spiffe://ecomm.local/order",
                "--bulwark.east-west.audience=delivery-service",
                "--bulwark.east-west.trusted-issuers[0].issuer=" + logisticsSts,
                "--bulwark.east-west.trusted-issuers[0].spiffe-id=spiffe://logistics.local/sts");
        assertThat(components.get("inventory").arguments()).contains(
                "--bulwark.workload.server.allowed-clients=spiffe://ecomm.local/order",
                "--bulwark.east-west.audience=inventory-service",
                "--bulwark.east-west.trusted-issuers[0].issuer=" + ecommSts,
                "--bulwark.east-west.self-issued-signers=spiffe://ecomm.local/order");
        assertThat(components.get("gateway").arguments()).contains("--bulwark.gateway.route.uri=" + components.get("order").url());
    }

    @Test
    void componentsWhenWithoutLogisticsThenEcommOnlyWithDeliveriesOff() {
        ComponentPlan plan = plan("up", "--without-logistics");
        Map<String, Component> components = byName(plan.components());

        assertThat(plan.components()).extracting(Component::name)
                .containsExactly("identity", "sts", "order", "inventory", "gateway");
        assertThat(plan.domains()).extracting(Domain::trustDomain).containsExactly("ecomm.local");
        assertThat(components.get("identity").arguments()).noneMatch(a -> a.startsWith("--bulwark.identity.federation="));
        assertThat(components.get("order").arguments()).contains("--bulwark.order.delivery.flow=off")
                .noneMatch(a -> a.startsWith("--bulwark.order.logistics-") || a.startsWith("--bulwark.order.delivery.uri="));
        assertThat(components.get("sts").arguments()).contains(
                "--bulwark.workload.server.allowed-clients=spiffe://ecomm.local/gateway,spiffe://ecomm.local/order,"
                        + "spiffe://ecomm.local/inventory")
                .noneMatch(a -> a.startsWith("--bulwark.sts.logistics-issuer="));
    }

    @Test
    void componentsWhenDeliveryJarIsMissingThenPlannedAndOnlyItsJarLookupFails() throws IOException {
        Files.delete(repository.resolve("services/delivery/target/bulwark-delivery-1.jar"));

        Component delivery = byName(plan("up").components()).get("delivery");

        assertThatThrownBy(delivery::jar).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no jar bulwark-.*\\.jar in " + repository.resolve("services/delivery/target"));
    }

    @Test
    void postgresDatabasesWhenPlannedThenOnePerComponentWithADatabase() {
        assertThat(plan("up", "--database", "postgres", "--database-prefix", "t_").postgresDatabases())
                .containsExactly("t_sts", "t_order", "t_inventory", "t_logistics_sts", "t_delivery");
        assertThat(plan("up", "--database", "postgres", "--database-prefix", "t_", "--without-logistics").postgresDatabases())
                .containsExactly("t_sts", "t_order", "t_inventory");
        assertThat(byName(plan("up", "--database", "postgres", "--database-prefix", "t_").components()).get("logistics-sts")
                .arguments()).contains("--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/t_logistics_sts");
        assertThat(plan("up").postgresDatabases()).isEmpty();
    }

    @Test
    void setWhenItNamesALogisticsComponentThenOnlyThatOneChanges() {
        Map<String, Component> components = byName(plan("up", "--set", "logistics-identity:bulwark.identity.svid-lifetime=PT10S",
                "--set", "delivery:bulwark.east-west.audience=x").components());

        assertThat(components.get("logistics-identity").arguments()).contains("--bulwark.identity.svid-lifetime=PT10S")
                .doesNotContain("--bulwark.identity.svid-lifetime=PT1H");
        assertThat(components.get("identity").arguments()).contains("--bulwark.identity.svid-lifetime=PT1H");
        assertThat(components.get("delivery").arguments()).contains("--bulwark.east-west.audience=x")
                .doesNotContain("--bulwark.east-west.audience=delivery-service");
    }

    private static List<String> ports(List<Component> components) {
        return components.stream()
                .flatMap(c -> c.arguments().stream())
                .filter(a -> a.matches("--(server\\.port|management\\.server\\.port|bulwark\\.identity\\.revocation-port)=.*"))
                .map(a -> a.substring(a.indexOf('=') + 1))
                .toList();
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
