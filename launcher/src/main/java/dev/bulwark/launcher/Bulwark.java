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
 * {@code ./bulwark up | down | status | revoke | rotate}. Exit codes: 0 done (or already in the asked
 * state), 1 failed, 2 bad usage, 3 {@code status} found a component that is not healthy.
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
            case "revoke" -> new IdentityAdmin(options.home(), out).revoke(options.operands().get(0), options.reason());
            case "rotate" -> options.operands().equals(List.of("root"))
                    ? new IdentityAdmin(options.home(), out).rotateRoot()
                    : new IdentityAdmin(options.home(), out).rotateIntermediate();
            default -> status();
        };
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
        Registrations registrations = Registrations.of(options.home());
        registrations.replaceAll(Map.of()); // lines of an earlier run name processes that are gone
        List<RunState.Entry> entries = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        try {
            // the workload CA first: every other component fetches its SVID from it at start-up
            Component identity = components.get(0);
            out.println("starting " + identity.name() + " ...");
            Process identityProcess = supervisor.start(identity);
            processes.add(identityProcess);
            supervisor.awaitHealthy(identity, identityProcess);
            supervisor.awaitFile(identity, identityProcess, materials.trustBundle());
            entries.add(new RunState.Entry(identity, identityProcess.pid()));
            out.println("  " + identity.name() + " healthy at " + identity.url());

            List<Component> workloads = components.subList(1, components.size());
            for (Component component : workloads) {
                out.println("starting " + component.name() + " ...");
                Process process = supervisor.start(component);
                processes.add(process);
                // attested as spiffe://ecomm.local/<name> by this pid from now on
                registrations.put(process.pid(), component.spiffeId());
            }
            for (int i = 0; i < workloads.size(); i++) {
                Component component = workloads.get(i);
                Process process = processes.get(i + 1);
                supervisor.awaitHealthy(component, process);
                entries.add(new RunState.Entry(component, process.pid()));
                out.println("  " + component.name() + " healthy at " + component.url());
            }
        } catch (RuntimeException e) {
            processes.reversed().forEach(p -> Supervisor.stop(p.pid()));
            registrations.delete();
            throw e;
        }
        RunState.write(options.home(), materials.trustBundle(), entries);
        printWelcome(materials, Duration.between(started, Instant.now()));
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
        order.sort(java.util.Comparator.comparing(e -> e.name().equals("identity")));
        for (RunState.Entry entry : order) {
            boolean stopped = Supervisor.stop(entry.pid());
            out.println((stopped ? "stopped " : "not running: ") + entry.name());
        }
        Registrations.of(options.home()).delete();
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
            out.printf("%-8s %-9s pid %-7d %s%n", entry.name(), healthy ? "healthy" : alive ? "unhealthy" : "stopped",
                    entry.pid(), entry.url());
        }
        return allHealthy ? 0 : 3;
    }

    private void printWelcome(LocalMaterials materials, Duration took) {
        Path repo = options.repository();
        String ca = repo.relativize(materials.trustBundle()).toString();
        if (ca.startsWith("..")) {
            ca = materials.trustBundle().toString();
        }
        String sts = "https://localhost:" + options.stsPort();
        String gateway = "https://localhost:" + options.gatewayPort();
        out.printf("""

                Bulwark is up (%d s). Trust anchor: %s
                  gateway   %s/api/orders
                  sts       %s  (issuer; discovery at /.well-known/openid-configuration)
                  identity  workload CA: Workload API, OCSP, CRL; ./bulwark revoke SERIAL, ./bulwark rotate intermediate|root
                  endpoints %s

                Try it: get a token for peter, then place an order through the gateway:

                TOKEN=$(curl -s --cacert %s -u orderprocessingapp:orderprocessingappsecret \\
                  -d grant_type=password -d username=peter -d password=peter123 -d 'scope=orders:read orders:write' \\
                  %s/oauth2/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                curl -i --cacert %s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                  -d '{"items":[{"itemCode":"IT0001","quantity":3}],"shippingAddress":"201, 1st Street, San Jose, CA"}' \\
                  %s/api/orders

                Stop it with ./bulwark down
                """, took.toSeconds(), ca, gateway, sts, RunState.file(options.home()), ca, sts, ca, gateway);
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
