package dev.bulwark.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./bulwark up | down | status | revoke | rotate | audit verify}. Exit codes: 0 done (or already in
 * the asked state), 1 failed (or {@code audit verify} found a tampered audit log), 2 bad usage, 3 {@code
 * status} found a component that is not healthy.
 */
public final class Bulwark {

    private final LaunchOptions options;
    private final PrintStream out;

    Bulwark(LaunchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        Path repository = Path.of(System.getProperty("bulwark.repository", ".")).toAbsolutePath().normalize();
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(Arrays.asList(args), repository);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            System.exit(new Bulwark(options, System.out).run());
        } catch (RuntimeException e) {
            System.err.println("bulwark " + options.command() + " failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Runs the command; returns the exit code. */
    public int run() {
        return switch (options.command()) {
            case "up" -> up();
            case "down" -> down();
            case "revoke" -> admin().revoke(options.operands().get(0), options.reason());
            case "audit" -> new AuditVerify(options.home(), out).run();
            case "rotate" -> options.operands().equals(List.of("root")) ? admin().rotateRoot() : admin().rotateIntermediate();
            default -> status();
        };
    }

    /** The admin client of the identity process of {@code --domain} (ecomm by default). */
    private IdentityAdmin admin() {
        return new IdentityAdmin(options.home(), Domain.named(options.domain(), options.home()), out);
    }

    /** Runs {@code up} from code (the e2e tests start the system exactly like this). */
    public static int run(LaunchOptions options, PrintStream out) {
        return new Bulwark(options, out).run();
    }

    private int up() {
        Optional<List<RunState.Entry>> running = RunState.read(options.home());
        if (running.isPresent() && running.get().stream().anyMatch(e -> Supervisor.alive(e.pid()))) {
            out.println("Bulwark is already running (see " + RunState.file(options.home())
                    + "). Use ./bulwark status, or ./bulwark down first.");
            return 0;
        }
        Instant started = Instant.now();
        LocalMaterials materials = new LocalMaterials(options.home());
        materials.ensure();
        ComponentPlan plan = new ComponentPlan(options, materials);
        createPostgresDatabases(plan.postgresDatabases());
        Supervisor supervisor = new Supervisor(options.home());
        List<Component> components = plan.components();
        List<Domain> domains = plan.domains();
        // lines of an earlier run name processes that are gone
        domains.forEach(domain -> domain.registrations().replaceAll(Map.of()));
        List<Component> identities = components.stream().filter(Component::isIdentity).toList();
        List<Component> workloads = components.stream().filter(c -> !c.isIdentity()).toList();
        List<RunState.Entry> entries = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        try {
            // the workload CAs first, together: every other component fetches its SVID from its domain's
            // CA at start-up, and each CA federates the other's bundle file as soon as it is written
            for (Component identity : identities) {
                out.println("starting " + identity.name() + " (" + identity.domain().trustDomain() + ") ...");
                processes.add(supervisor.start(identity));
            }
            for (int i = 0; i < identities.size(); i++) {
                Component identity = identities.get(i);
                Process process = processes.get(i);
                supervisor.awaitHealthy(identity, process);
                supervisor.awaitFile(identity, process, identity.domain().trustBundle());
                entries.add(new RunState.Entry(identity, process.pid()));
                out.println("  " + identity.name() + " healthy at " + identity.url());
            }

            // then every workload at once
            for (Component component : workloads) {
                out.println("starting " + component.name() + " (" + component.spiffeId() + ") ...");
                Process process = supervisor.start(component);
                processes.add(process);
                // attested as its SPIFFE ID by this pid from now on, by its own domain's identity process
                component.domain().registrations().put(process.pid(), component.spiffeId());
            }
            for (int i = 0; i < workloads.size(); i++) {
                Component component = workloads.get(i);
                Process process = processes.get(identities.size() + i);
                supervisor.awaitHealthy(component, process);
                entries.add(new RunState.Entry(component, process.pid()));
                out.println("  " + component.name() + " healthy at " + component.url());
            }
        } catch (RuntimeException e) {
            processes.reversed().forEach(p -> Supervisor.stop(p.pid()));
            domains.forEach(domain -> domain.registrations().delete());
            throw e;
        }
        Map<String, Path> bundles = new java.util.LinkedHashMap<>();
        domains.forEach(domain -> bundles.put(domain.trustDomain(), domain.trustBundle()));
        RunState.write(options.home(), materials.trustBundle(), bundles, entries);
        printWelcome(materials, domains, components, Duration.between(started, Instant.now()));
        return 0;
    }

    /** Stops the workloads in reverse start order, then the identity process, which they depend on. */
    private int down() {
        Optional<List<RunState.Entry>> running = RunState.read(options.home());
        if (running.isEmpty()) {
            out.println("Bulwark is not running.");
            return 0;
        }
        List<RunState.Entry> order = new ArrayList<>(running.get().reversed());
        order.sort(java.util.Comparator.comparing(RunState.Entry::isIdentity));
        for (RunState.Entry entry : order) {
            boolean stopped = Supervisor.stop(entry.pid());
            out.println((stopped ? "stopped " : "not running: ") + entry.name());
        }
        for (String domain : Domain.NAMES) {
            Domain.named(domain, options.home()).registrations().delete();
        }
        RunState.delete(options.home());
        return 0;
    }

    private int status() {
        Optional<List<RunState.Entry>> running = RunState.read(options.home());
        if (running.isEmpty()) {
            out.println("Bulwark is not running. Start it with ./bulwark up");
            return 3;
        }
        Supervisor supervisor = new Supervisor(options.home());
        boolean allHealthy = true;
        for (RunState.Entry entry : running.get()) {
            boolean alive = Supervisor.alive(entry.pid());
            boolean healthy = alive && supervisor.healthy(entry.health());
            allHealthy &= healthy;
            out.printf("%-18s %-9s pid %-7d %s%n", entry.name(), healthy ? "healthy" : alive ? "unhealthy" : "stopped",
                    entry.pid(), entry.url());
        }
        return allHealthy ? 0 : 3;
    }

    private void printWelcome(LocalMaterials materials, List<Domain> domains, List<Component> components, Duration took) {
        String ca = shown(materials.trustBundle());
        String sts = "https://localhost:" + options.stsPort();
        String gateway = "https://localhost:" + options.gatewayPort();
        StringBuilder list = new StringBuilder();
        for (Domain domain : domains) {
            list.append(String.format("  %s (trust bundle %s)%n", domain.trustDomain(), shown(domain.trustBundle())));
            for (Component component : components) {
                if (component.domain().equals(domain)) {
                    list.append(String.format("    %-18s %-32s %s%n", component.name(), component.url(), role(component)));
                }
            }
        }
        String federation = options.withoutLogistics()
                ? "Only the ecomm trust domain runs (--without-logistics): orders reserve stock but are not delivered."
                : "The two trust domains are federated: each identity process serves the other's bundle, so ecomm's order\n"
                        + "service calls logistics' STS, gateway and delivery service over mutual TLS.";
        out.printf("""

                Bulwark is up (%d s). Trust anchor of the edge: %s
                %s
                %s
                endpoints: %s
                ./bulwark revoke SERIAL, ./bulwark rotate intermediate|root (add --domain logistics for the logistics CA)

                Try it: get a token for peter, then place an order through the gateway:

                TOKEN=$(curl -s --cacert %s -u orderprocessingapp:orderprocessingappsecret \\
                  -d grant_type=password -d username=peter -d password=peter123 -d 'scope=orders:read orders:write' \\
                  %s/oauth2/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                curl -i --cacert %s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                  -d '{"items":[{"itemCode":"IT0001","quantity":3}],"shippingAddress":"201, 1st Street, San Jose, CA"}' \\
                  %s/api/orders

                Stop it with ./bulwark down
                """, took.toSeconds(), ca, list.toString().stripTrailing(), federation, RunState.file(options.home()), ca, sts, ca,
                gateway);
    }

    /** A path as the welcome text shows it: relative to the checkout when it is inside it. */
    private String shown(Path file) {
        Path repo = options.repository();
        String relative = repo.relativize(file).toString();
        return relative.startsWith("..") ? file.toString() : relative;
    }

    private static String role(Component component) {
        return switch (component.name()) {
            case "identity", "logistics-identity" -> "workload CA: Workload API, OCSP, CRL, admin API";
            case "sts" -> "issuer; discovery at /.well-known/openid-configuration";
            case "logistics-sts" -> "logistics issuer: token exchange, JWT bearer (RFC 7523)";
            case "gateway" -> "edge: /api/orders";
            case "logistics-gateway" -> "partner edge: /api/deliveries";
            case "order" -> "orders (behind the gateway)";
            case "inventory" -> "stock reservations (called by order)";
            case "delivery" -> "deliveries (called by order or the logistics gateway)";
            default -> "";
        };
    }

    private void createPostgresDatabases(List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", "postgres"); // local mode: the machine's PostgreSQL with trust authentication
        try (Connection connection = DriverManager.getConnection(options.postgresUrl() + "postgres", login)) {
            for (String name : names) {
                try (PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
                    exists.setString(1, name);
                    try (ResultSet rs = exists.executeQuery()) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                }
                // the name is validated by LaunchOptions (lower-case letters, digits, _)
                try (Statement create = connection.createStatement()) {
                    create.execute("create database " + name);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare PostgreSQL at " + options.postgresUrl() + ": " + e.getMessage(), e);
        }
    }
}
