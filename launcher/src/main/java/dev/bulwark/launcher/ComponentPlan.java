package dev.bulwark.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Decides how each component is started: its jar, ports and the configuration properties that tie
 * it to the others (issuer, JWKS, the Workload API socket, keys, database). The properties are the contract
 * written in {@code docs/architecture.md}.
 */
final class ComponentPlan {

    private final LaunchOptions options;
    private final LocalMaterials materials;

    ComponentPlan(LaunchOptions options, LocalMaterials materials) {
        this.options = options;
        this.materials = materials;
    }

    /** The identity process first, then sts, order, gateway: the order in which they start. */
    List<Component> components() {
        String stsUrl = "https://localhost:" + options.stsPort();
        int orderPort = freePort();
        String orderUrl = "https://localhost:" + orderPort;

        int adminPort = freePort();
        int revocationPort = freePort();
        String revocationUrl = "http://127.0.0.1:" + revocationPort;
        List<String> identity = new ArrayList<>(List.of(
                "--bulwark.home=" + options.home(),
                "--bulwark.identity.trust-domain=" + Component.TRUST_DOMAIN,
                "--bulwark.identity.svid-lifetime=PT1H",
                "--bulwark.identity.socket=" + materials.workloadSocket(),
                "--bulwark.identity.revocation-port=" + revocationPort,
                "--server.port=" + adminPort,
                "--management.server.port=" + managementPort("identity")));

        List<String> sts = common("sts", options.stsPort());
        sts.addAll(List.of(
                // a client without a certificate (curl, apps) is let in; a workload's SVID is checked, and
                // it is how a workload authenticates as an OAuth client (RFC 8705 tls_client_auth)
                "--bulwark.workload.server.client-auth=want",
                "--bulwark.workload.server.allowed-clients=" + Component.spiffeId("gateway") + "," + Component.spiffeId("order"),
                "--bulwark.sts.issuer=" + stsUrl,
                "--bulwark.sts.keys.kek-file=" + materials.stsKeyEncryptionKey(),
                "--bulwark.sts.clients.bulwark-gateway.secret-file=" + materials.gatewayClientSecret()));
        sts.addAll(database("sts"));

        List<String> gateway = common("gateway", options.gatewayPort());
        gateway.addAll(List.of(
                "--bulwark.workload.server.client-auth=none",
                "--bulwark.gateway.issuer=" + stsUrl,
                "--bulwark.gateway.jwk-set-uri=" + stsUrl + "/oauth2/jwks",
                "--bulwark.gateway.introspection-uri=" + stsUrl + "/oauth2/introspect",
                "--bulwark.gateway.introspection-client-id=bulwark-gateway",
                "--bulwark.gateway.introspection-client-secret-file=" + materials.gatewayClientSecret(),
                "--bulwark.gateway.order-service-uri=" + orderUrl,
                "--bulwark.gateway.user-context.key-file=" + materials.userContextKey()));

        List<String> order = common("order", orderPort);
        order.addAll(List.of(
                "--bulwark.workload.server.client-auth=need",
                "--bulwark.workload.server.allowed-clients=" + Component.spiffeId("gateway"),
                "--bulwark.order.user-context.jwk-set-file=" + materials.userContextPublicKeys()));
        order.addAll(database("order"));

        identity = overridden(identity, options.extraProperties("identity"));
        sts = overridden(sts, options.extraProperties("sts"));
        gateway = overridden(gateway, options.extraProperties("gateway"));
        order = overridden(order, options.extraProperties("order"));
        return List.of(
                new Component("identity", jar("identity"), "https://localhost:" + adminPort, managementPort("identity"),
                        identity, Map.of(
                                "workload_api", materials.workloadSocket().toString(),
                                "ocsp", revocationUrl + "/ocsp",
                                "crl", revocationUrl + "/crl")),
                new Component("sts", jar("sts"), stsUrl, managementPort("sts"), sts),
                new Component("order", jar("services/order"), orderUrl, managementPort("order"), order),
                new Component("gateway", jar("gateway"), "https://localhost:" + options.gatewayPort(), managementPort("gateway"), gateway));
    }

    /**
     * The plan's arguments with {@code --set} ones replacing those of the same key: Spring Boot joins
     * a key given twice on the command line into one comma-separated value.
     */
    static List<String> overridden(List<String> base, List<String> extra) {
        java.util.Set<String> keys = new java.util.HashSet<>();
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
        return options.database().equals("postgres")
                ? List.of(options.databasePrefix() + "sts", options.databasePrefix() + "order")
                : List.of();
    }

    private List<String> common(String name, int port) {
        List<String> args = new ArrayList<>(List.of(
                "--management.server.port=" + managementPort(name),
                "--bulwark.home=" + options.home(),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--bulwark.workload.socket=" + materials.workloadSocket(),
                "--management.server.address=127.0.0.1",
                "--management.server.ssl.enabled=false",
                "--management.endpoints.web.exposure.include=health,prometheus",
                "--logging.file.name=",
                "--spring.main.banner-mode=off"));
        return args;
    }

    private final java.util.Map<String, Integer> managementPorts = new java.util.HashMap<>();

    private int managementPort(String component) {
        return managementPorts.computeIfAbsent(component, c -> freePort());
    }

    private List<String> database(String component) {
        if (options.database().equals("postgres")) {
            return List.of(
                    "--spring.datasource.url=" + options.postgresUrl() + options.databasePrefix() + component,
                    "--spring.datasource.username=postgres");
        }
        Path file = options.home().resolve("data").resolve(component);
        return List.of("--spring.datasource.url=jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE");
    }

    /** The module's Spring Boot jar: the {@code -exec} one where the plain jar is a library (identity). */
    private Path jar(String module) {
        String pattern = module.equals("identity") ? "bulwark-.*-exec\\.jar" : "bulwark-.*\\.jar";
        Path target = options.repository().resolve(module).resolve("target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().matches(pattern))
                    .sorted()
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no jar " + pattern + " in " + target + " (expected: built by ./bulwark or ./mvnw package)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final java.util.Set<Integer> chosenPorts = new java.util.HashSet<>();

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
