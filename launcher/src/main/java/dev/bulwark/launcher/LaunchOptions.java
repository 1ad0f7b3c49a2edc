package dev.bulwark.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code ./bulwark} was asked to do, parsed once from the command line.
 *
 * @param command {@code up}, {@code down} or {@code status}
 * @param home the state directory ({@code .bulwark})
 * @param repository the checkout that holds the built jars
 * @param gatewayPort the edge port (8443)
 * @param stsPort the issuer's port (9443)
 * @param database {@code h2} (embedded, the default) or {@code postgres}
 * @param postgresUrl the server for {@code postgres}, without a database name
 * @param databasePrefix prefix of the PostgreSQL database names
 * @param extraProperties {@code component:key=value} properties added to one component's command line
 */
public record LaunchOptions(String command, Path home, Path repository, int gatewayPort, int stsPort,
        String database, String postgresUrl, String databasePrefix, List<String> extraProperties) {

    public LaunchOptions {
        extraProperties = List.copyOf(extraProperties);
    }

    /** The extra properties for one component, as command-line arguments. */
    List<String> extraProperties(String component) {
        return extraProperties.stream()
                .filter(p -> p.startsWith(component + ":"))
                .map(p -> "--" + p.substring(component.length() + 1))
                .toList();
    }

    static final String USAGE = """
            usage: ./bulwark up|down|status [options]
              --home DIR              state directory (default .bulwark)
              --gateway-port N        edge gateway port (default 8443)
              --sts-port N            STS port (default 9443)
              --database h2|postgres  embedded H2 (default) or PostgreSQL
              --postgres-url URL      PostgreSQL server (default jdbc:postgresql://127.0.0.1:5432/)
              --database-prefix P     PostgreSQL database names start with P (default bulwark_)
              --set C:KEY=VALUE       add a configuration property to component C (sts, gateway, order)
            """;

    /** Parses the arguments; every problem is reported at once. */
    public static LaunchOptions parse(List<String> args, Path repository) {
        List<String> errors = new ArrayList<>();
        String command = args.isEmpty() ? "" : args.get(0);
        if (!List.of("up", "down", "status").contains(command)) {
            errors.add("command: " + (command.isEmpty() ? "(none)" : command) + " (expected: up, down or status)");
        }
        Path home = repository.resolve(".bulwark");
        int gatewayPort = 8443;
        int stsPort = 9443;
        String database = "h2";
        String postgresUrl = "jdbc:postgresql://127.0.0.1:5432/";
        String prefix = "bulwark_";
        List<String> extra = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("--help") || option.equals("-h")) {
                errors.add("");
                break;
            }
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            if (value == null) {
                errors.add(option + ": missing value");
                break;
            }
            i++;
            switch (option) {
                case "--home" -> home = Path.of(value).toAbsolutePath();
                case "--gateway-port" -> gatewayPort = port(option, value, errors);
                case "--sts-port" -> stsPort = port(option, value, errors);
                case "--database" -> {
                    database = value.toLowerCase(Locale.ROOT);
                    if (!database.equals("h2") && !database.equals("postgres")) {
                        errors.add("--database: " + value + " (expected: h2 or postgres)");
                    }
                }
                case "--postgres-url" -> postgresUrl = value.endsWith("/") ? value : value + "/";
                case "--database-prefix" -> {
                    prefix = value;
                    if (!value.matches("[a-z_][a-z0-9_]{0,40}")) {
                        errors.add("--database-prefix: " + value + " (expected: lower-case letters, digits, _)");
                    }
                }
                case "--set" -> {
                    if (!value.matches("(sts|gateway|order):[a-z][a-zA-Z0-9._\\[\\]-]*=.*")) {
                        errors.add("--set: " + value + " (expected: sts|gateway|order:key=value)");
                    }
                    extra.add(value);
                }
                default -> errors.add("unknown option: " + option);
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException((String.join("\n", errors) + "\n" + USAGE).strip());
        }
        return new LaunchOptions(command, home, repository, gatewayPort, stsPort, database, postgresUrl, prefix, extra);
    }

    private static int port(String option, String value, List<String> errors) {
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(option + ": " + value + " (expected: a port 1-65535)");
        return 0;
    }
}
