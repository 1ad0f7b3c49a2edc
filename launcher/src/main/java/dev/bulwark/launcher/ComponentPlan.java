package dev.bulwark.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides how each component is started: its jar, trust domain, ports and the configuration
 * properties that tie it to the others (issuers, JWKS, the Workload API socket of its domain, keys,
 * database). The properties are the contract written in {@code docs/architecture.md}.
 *
 * <p>Two trust domains: ecomm ({@code identity}, {@code sts}, {@code order}, {@code inventory},
 * {@code gateway}) and, unless {@code --without-logistics}, logistics ({@code logistics-identity},
 * {@code logistics-sts}, {@code logistics-gateway}, {@code delivery}) with its own identity process
 * under {@code <home>/logistics}. Each identity process federates the other's {@code pki/bundle.pem}.
 */
final class ComponentPlan {

    private final LaunchOptions options;
    private final LocalMaterials materials;
    private final Domain ecomm;
    private final Domain logistics;
    private final Map<String, Integer> managementPorts = new HashMap<>();
    private final Set<Integer> chosenPorts = new HashSet<>();

    ComponentPlan(LaunchOptions options, LocalMaterials materials) {
        this.options = options;
        this.materials = materials;
        this.ecomm = Domain.ecomm(options.home());
        this.logistics = Domain.logistics(options.home());
    }

    /** The trust domains this plan starts: ecomm, and logistics unless {@code --without-logistics}. */
    List<Domain> domains() {
        return options.withoutLogistics() ? List.of(ecomm) : List.of(ecomm, logistics);
    }

    /**
     * Every component: the identity processes first (they start together, before anything else), then
     * the workloads (started together once both identities are healthy).
     */
    List<Component> components() {
        boolean withLogistics = !options.withoutLogistics();
        Urls urls = new Urls("https://localhost:" + options.stsPort(), "https://localhost:" + options.gatewayPort(),
                "https://localhost:" + freePort(), "https://localhost:" + freePort(),
                withLogistics ? "https://localhost:" + freePort() : "",
                withLogistics ? "https://localhost:" + freePort() : "",
                withLogistics ? "https://localhost:" + freePort() : "");

        List<Component> components = new ArrayList<>();
        components.add(identity(ecomm, withLogistics ? logistics : null));
        if (withLogistics) {
            components.add(identity(logistics, ecomm));
        }
        components.add(workload("sts", ecomm, "sts", "sts", urls.sts(), ecommSts(urls, withLogistics)));
        components.add(workload("order", ecomm, "order", "services/order", urls.order(), order(urls, withLogistics)));
        components.add(workload("inventory", ecomm, "inventory", "services/inventory", urls.inventory(), inventory(urls)));
        int policyAdminPort = freePort();
        components.add(workload("gateway", ecomm, "gateway", "gateway", urls.gateway(), ecommGateway(urls, policyAdminPort),
                Map.of("policy_admin", "https://127.0.0.1:" + policyAdminPort + "/admin/policy")));
        if (withLogistics) {
            components.add(workload("logistics-sts", logistics, "sts", "sts", urls.logisticsSts(), logisticsSts(urls)));
            components.add(workload("logistics-gateway", logistics, "gateway", "gateway", urls.logisticsGateway(),
                    logisticsGateway(urls)));
            components.add(workload("delivery", logistics, "delivery", "services/delivery", urls.delivery(), delivery(urls)));
        }
        return List.copyOf(components);
    }

    /** Where each workload serves (the edge ports are fixed by the options, the others free loopback ports). */
    private record Urls(String sts, String gateway, String order, String inventory, String logisticsSts,
            String logisticsGateway, String delivery) {
    }

    private Component identity(Domain domain, @Nullable Domain federatedWith) {
        String name = domain.identityComponent();
        int adminPort = freePort();
        int revocationPort = freePort();
        String revocationUrl = "http://127.0.0.1:" + revocationPort;
        List<String> args = new ArrayList<>(List.of(
                "--bulwark.home=" + domain.home(),
                "--bulwark.identity.trust-domain=" + domain.trustDomain(),
                "--bulwark.identity.svid-lifetime=PT1H",
                "--bulwark.identity.socket=" + domain.workloadSocket(),
                "--bulwark.identity.revocation-port=" + revocationPort,
                "--server.port=" + adminPort,
                "--management.server.port=" + managementPort(name)));
        if (federatedWith != null) {
            // the other domain's bundle file: read when it appears, polled for changes, served as federated_bundles
            args.add("--bulwark.identity.federation=" + federatedWith.trustDomain() + "=" + federatedWith.trustBundle());
        }
        return new Component(name, domain, "identity", options.repository().resolve("identity"), "https://localhost:" + adminPort,
                managementPort(name), overridden(args, options.extraProperties(name)), Map.of(
                        "workload_api", domain.workloadSocket().toString(),
                        "ocsp", revocationUrl + "/ocsp",
                        "crl", revocationUrl + "/crl",
                        "trust_bundle", domain.trustBundle().toString()));
    }

    private Component workload(String name, Domain domain, String workload, String module, String url, List<String> own) {
        return workload(name, domain, workload, module, url, own, Map.of());
    }

    private Component workload(String name, Domain domain, String workload, String module, String url, List<String> own,
            Map<String, String> endpoints) {
        int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        List<String> args = new ArrayList<>(List.of(
                "--management.server.port=" + managementPort(name),
                "--bulwark.home=" + domain.home(),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--bulwark.workload.socket=" + domain.workloadSocket(),
                "--management.server.address=127.0.0.1",
                "--management.server.ssl.enabled=false",
                "--management.endpoints.web.exposure.include=health,prometheus",
                "--logging.file.name=",
                "--spring.main.banner-mode=off"));
        args.addAll(own);
        return new Component(name, domain, workload, options.repository().resolve(module), url, managementPort(name),
                overridden(args, options.extraProperties(name)), endpoints);
    }

    private List<String> ecommSts(Urls urls, boolean withLogistics) {
        // inventory fetches the JWKS with its SVID; so do the logistics STS and gateway across the federation
        List<String> allowed = new ArrayList<>(List.of(ecomm.spiffeId("gateway"), ecomm.spiffeId("order"), ecomm.spiffeId("inventory")));
        if (withLogistics) {
            allowed.addAll(List.of(logistics.spiffeId("sts"), logistics.spiffeId("gateway")));
        }
        List<String> args = new ArrayList<>(List.of(
                // a client without a certificate (curl, apps) is let in; a workload's SVID is checked, and
                // it is how a workload authenticates as an OAuth client (RFC 8705 tls_client_auth)
                "--bulwark.workload.server.client-auth=want",
                "--bulwark.workload.server.allowed-clients=" + String.join(",", allowed),
                "--bulwark.sts.issuer=" + urls.sts(),
                "--bulwark.sts.ecomm-issuer=" + urls.sts(),
                "--bulwark.sts.keys.kek-file=" + materials.stsKeyEncryptionKey(),
                "--bulwark.sts.clients.bulwark-gateway.secret-file=" + materials.gatewayClientSecret()));
        if (withLogistics) {
            args.add("--bulwark.sts.logistics-issuer=" + urls.logisticsSts());
        }
        args.addAll(database(ecomm, "sts", "sts"));
        return args;
    }

    private List<String> order(Urls urls, boolean withLogistics) {
        List<String> args = new ArrayList<>(List.of(
                "--bulwark.workload.server.client-auth=need",
                "--bulwark.workload.server.allowed-clients=" + ecomm.spiffeId("gateway"),
                "--bulwark.order.user-context.jwk-set-file=" + materials.userContextPublicKeys(),
                "--bulwark.order.sts.token-uri=" + urls.sts() + "/oauth2/token",
                "--bulwark.order.sts.spiffe-id=" + ecomm.spiffeId("sts"),
                "--bulwark.order.sts.client-id=order-service",
                "--bulwark.order.inventory.uri=" + urls.inventory(),
                "--bulwark.order.inventory.spiffe-id=" + ecomm.spiffeId("inventory"),
                "--bulwark.order.inventory.audience=inventory-service",
                "--bulwark.order.policy.dir=" + materials.policy()));
        if (withLogistics) {
            args.addAll(List.of(
                    "--bulwark.order.delivery.uri=" + urls.delivery(),
                    "--bulwark.order.delivery.spiffe-id=" + logistics.spiffeId("delivery"),
                    "--bulwark.order.delivery.audience=delivery-service",
                    "--bulwark.order.logistics-sts.issuer=" + urls.logisticsSts(),
                    "--bulwark.order.logistics-sts.token-uri=" + urls.logisticsSts() + "/oauth2/token",
                    "--bulwark.order.logistics-sts.spiffe-id=" + logistics.spiffeId("sts"),
                    "--bulwark.order.logistics-gateway.uri=" + urls.logisticsGateway(),
                    "--bulwark.order.logistics-gateway.spiffe-id=" + logistics.spiffeId("gateway"),
                    "--bulwark.order.logistics-gateway.audience=logistics-gateway"));
        } else {
            args.add("--bulwark.order.delivery.flow=off");   // nobody to deliver: orders only reserve stock
        }
        args.addAll(database(ecomm, "order", "order"));
        return args;
    }

    private List<String> inventory(Urls urls) {
        List<String> args = new ArrayList<>(List.of(
                "--bulwark.workload.server.client-auth=need",
                "--bulwark.workload.server.allowed-clients=" + ecomm.spiffeId("order"),
                "--bulwark.east-west.audience=inventory-service",
                "--bulwark.east-west.trusted-issuers[0].issuer=" + urls.sts(),
                "--bulwark.east-west.trusted-issuers[0].jwk-set-uri=" + urls.sts() + "/oauth2/jwks",
                "--bulwark.east-west.trusted-issuers[0].spiffe-id=" + ecomm.spiffeId("sts"),
                "--bulwark.east-west.self-issued-signers=" + ecomm.spiffeId("order")));
        args.addAll(database(ecomm, "inventory", "inventory"));
        return args;
    }

    private List<String> ecommGateway(Urls urls, int policyAdminPort) {
        return List.of(
                // the Cedar policies and entity data it shares with the order service; data pushed over
                // mTLS by the admin identity only
                "--bulwark.gateway.policy.dir=" + materials.policy(),
                "--bulwark.gateway.policy.admin.port=" + policyAdminPort,
                "--bulwark.gateway.policy.admin.spiffe-id=" + ecomm.spiffeId("admin"),
                "--bulwark.workload.server.client-auth=none",
                "--bulwark.gateway.issuer=" + urls.sts(),
                "--bulwark.gateway.jwk-set-uri=" + urls.sts() + "/oauth2/jwks",
                "--bulwark.gateway.introspection-uri=" + urls.sts() + "/oauth2/introspect",
                "--bulwark.gateway.introspection-client-id=bulwark-gateway",
                "--bulwark.gateway.introspection-client-secret-file=" + materials.gatewayClientSecret(),
                "--bulwark.gateway.route.uri=" + urls.order(),
                // cancelling an order: the write scope at the edge, then the policy (the ops role)
                "--bulwark.gateway.route.delete-scope=orders:write",
                "--bulwark.gateway.user-context.key-file=" + materials.userContextKey());
    }

    private List<String> logisticsSts(Urls urls) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.profiles.active=logistics",
                // its own name in traces and its audit file, not the ecomm STS's
                "--spring.application.name=logistics-sts",
                "--bulwark.workload.server.client-auth=want",
                // its clients (the gateway, ecomm's order across the federation) and delivery fetching the JWKS
                "--bulwark.workload.server.allowed-clients=" + String.join(",", logistics.spiffeId("gateway"),
                        ecomm.spiffeId("order"), logistics.spiffeId("delivery")),
                "--bulwark.sts.issuer=" + urls.logisticsSts(),
                "--bulwark.sts.ecomm-issuer=" + urls.sts(),
                "--bulwark.sts.logistics-issuer=" + urls.logisticsSts(),
                "--bulwark.sts.keys.kek-file=" + logistics.home().resolve("keys/sts-kek")));
        args.addAll(database(logistics, "sts", "logistics_sts"));
        return args;
    }

    private List<String> logisticsGateway(Urls urls) {
        return List.of(
                // its own name in traces and its audit file, not the ecomm gateway's
                "--spring.application.name=logistics-gateway",
                // the partner's edge: only ecomm's order service calls it, with its SVID
                "--bulwark.workload.server.client-auth=need",
                // its route has mTLS (one caller) and scopes; the Cedar model covers orders, not deliveries
                "--bulwark.gateway.policy.engine=none",
                "--bulwark.workload.server.allowed-clients=" + ecomm.spiffeId("order"),
                "--bulwark.gateway.issuer=" + urls.sts(),
                "--bulwark.gateway.jwk-set-uri=" + urls.sts() + "/oauth2/jwks",
                "--bulwark.gateway.introspection-uri=" + urls.sts() + "/oauth2/introspect",
                "--bulwark.gateway.sts-spiffe-id=" + ecomm.spiffeId("sts"),
                "--bulwark.gateway.audience=logistics-gateway",
                "--bulwark.gateway.route.uri=" + urls.delivery(),
                "--bulwark.gateway.route.spiffe-id=" + logistics.spiffeId("delivery"),
                "--bulwark.gateway.route.path-prefix=/api/deliveries",
                "--bulwark.gateway.route.upstream-path=/deliveries",
                "--bulwark.gateway.route.read-scope=delivery:read",
                "--bulwark.gateway.route.write-scope=delivery:write",
                "--bulwark.gateway.upstream-credential=token-exchange",
                "--bulwark.gateway.token-exchange.token-uri=" + urls.logisticsSts() + "/oauth2/token",
                "--bulwark.gateway.token-exchange.sts-spiffe-id=" + logistics.spiffeId("sts"),
                "--bulwark.gateway.token-exchange.client-id=logistics-gateway",
                "--bulwark.gateway.token-exchange.audience=delivery-service");
    }

    private List<String> delivery(Urls urls) {
        List<String> args = new ArrayList<>(List.of(
                "--bulwark.workload.server.client-auth=need",
                "--bulwark.workload.server.allowed-clients=" + logistics.spiffeId("gateway") + "," + ecomm.spiffeId("order"),
                "--bulwark.east-west.audience=delivery-service",
                "--bulwark.east-west.trusted-issuers[0].issuer=" + urls.logisticsSts(),
                "--bulwark.east-west.trusted-issuers[0].jwk-set-uri=" + urls.logisticsSts() + "/oauth2/jwks",
                "--bulwark.east-west.trusted-issuers[0].spiffe-id=" + logistics.spiffeId("sts")));
        args.addAll(database(logistics, "delivery", "delivery"));
        return args;
    }

    /**
     * The plan's arguments with {@code --set} ones replacing those of the same key: Spring Boot joins
     * a key given twice on the command line into one comma-separated value.
     */
    static List<String> overridden(List<String> base, List<String> extra) {
        Set<String> keys = new HashSet<>();
        extra.forEach(argument -> keys.add(key(argument)));
        List<String> merged = new ArrayList<>(base.stream().filter(argument -> !keys.contains(key(argument))).toList());
        merged.addAll(extra);
        return merged;
    }

    private static String key(String argument) {
        int equals = argument.indexOf('=');
        return equals < 0 ? argument : argument.substring(0, equals);
    }

    /** Names of the PostgreSQL databases this plan uses, empty for the embedded database. */
    List<String> postgresDatabases() {
        if (!options.database().equals("postgres")) {
            return List.of();
        }
        List<String> names = new ArrayList<>(List.of("sts", "order", "inventory"));
        if (!options.withoutLogistics()) {
            names.addAll(List.of("logistics_sts", "delivery"));
        }
        return names.stream().map(name -> options.databasePrefix() + name).toList();
    }

    /** H2: {@code <domain home>/data/<file>}; PostgreSQL: database {@code <prefix><database>}. */
    private List<String> database(Domain domain, String file, String database) {
        if (options.database().equals("postgres")) {
            return List.of(
                    "--spring.datasource.url=" + options.postgresUrl() + options.databasePrefix() + database,
                    "--spring.datasource.username=postgres");
        }
        Path path = domain.home().resolve("data").resolve(file);
        return List.of("--spring.datasource.url=jdbc:h2:file:" + path + ";DB_CLOSE_ON_EXIT=FALSE");
    }

    private int managementPort(String component) {
        return managementPorts.computeIfAbsent(component, c -> freePort());
    }

    /**
     * A loopback port that is free now and not already chosen by this plan (nor the edge ports): the
     * kernel may hand out the same ephemeral port twice once the probing socket is closed, and two
     * components, or a component's server and management port, must never get the same one.
     */
    private int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (port != options.gatewayPort() && port != options.stsPort() && chosenPorts.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free loopback port", e);
            }
        }
        throw new IllegalStateException("no free loopback port that this plan has not already chosen");
    }
}
