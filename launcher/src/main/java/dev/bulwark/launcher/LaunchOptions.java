package dev.bulwark.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code ./bulwark} was asked to do, parsed once from the command line.
 *
 * @param command {@code up}, {@code down}, {@code status}, {@code revoke}, {@code rotate} or {@code audit}
 * @param home the state directory ({@code .bulwark})
 * @param repository the checkout that holds the built jars
 * @param gatewayPort the edge port (8443)
 * @param stsPort the issuer's port (9443)
 * @param database {@code h2} (embedded, the default) or {@code postgres}
 * @param postgresUrl the server for {@code postgres}, without a database name
 * @param databasePrefix prefix of the PostgreSQL database names
 * @param extraProperties {@code component:key=value} properties added to one component's command line
 * @param operands the command's own arguments: the serial for {@code revoke}, {@code intermediate}
 *     or {@code root} for {@code rotate}, {@code verify} for {@code audit}
 * @param reason the RFC 5280 revocation reason for {@code revoke} (default {@code keyCompromise})
 * @param withoutLogistics {@code up}: start the ecomm trust domain only (no logistics identity, STS,
 *     gateway or delivery service; the order service does not schedule deliveries)
 * @param domain {@code revoke} and {@code rotate}: whose identity process to call, {@code ecomm} (default)
 *     or {@code logistics}
 */
public record LaunchOptions(String command, Path home, Path repository, int gatewayPort, int stsPort,
        String database, String postgresUrl, String databasePrefix, List<String> extraProperties,
        List<String> operands, String reason, boolean withoutLogistics, String domain) {

    /** The components whose configuration {@code --set} may change. */
    static final List<String> COMPONENTS = List.of("identity", "sts", "gateway", "order", "inventory",
            "logistics-identity", "logistics-sts", "logistics-gateway", "delivery");

    /** RFC 5280 §5.3.1 reasons that apply to a workload certificate, as the identity admin API names them. */
    static final List<String> REASONS = List.of("unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
            "superseded", "cessationOfOperation");

    public LaunchOptions {
        extraProperties = List.copyOf(extraProperties);
        operands = List.copyOf(operands);
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
                   ./bulwark revoke SERIAL-HEX [--reason R] [--home DIR]
                   ./bulwark rotate intermediate|root [--home DIR]
                   ./bulwark audit verify [--home DIR]
              --home DIR              state directory (default .bulwark)
              --gateway-port N        edge gateway port (default 8443)
              --sts-port N            STS port (default 9443)
              --database h2|postgres  embedded H2 (default) or PostgreSQL
              --postgres-url URL      PostgreSQL server (default jdbc:postgresql://127.0.0.1:5432/)
              --database-prefix P     PostgreSQL database names start with P (default bulwark_)
              --without-logistics     up: only the ecomm trust domain (identity, sts, order, inventory, gateway);
                                      orders are not delivered
              --set C:KEY=VALUE       add a configuration property to component C (identity, sts, gateway, order,
                                      inventory, logistics-identity, logistics-sts, logistics-gateway, delivery)
              --reason R              revoke: keyCompromise (default), superseded, cessationOfOperation,
                                      affiliationChanged, cACompromise or unspecified
              --domain D              revoke, rotate: the trust domain whose CA acts, ecomm (default) or logistics
            """;

    /** Parses the arguments; every problem is reported at once. */
    public static LaunchOptions parse(List<String> args, Path repository) {
        List<String> errors = new ArrayList<>();
        String command = args.isEmpty() ? "" : args.get(0);
        if (!List.of("up", "down", "status", "revoke", "rotate", "audit").contains(command)) {
            errors.add("command: " + (command.isEmpty() ? "(none)" : command)
                    + " (expected: up, down, status, revoke, rotate or audit)");
        }
        Path home = repository.resolve(".bulwark");
        int gatewayPort = 8443;
        int stsPort = 9443;
        String database = "h2";
        String postgresUrl = "jdbc:postgresql://127.0.0.1:5432/";
        String prefix = "bulwark_";
        List<String> extra = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        String reason = "keyCompromise";
        boolean withoutLogistics = false;
        String domain = Domain.ECOMM;
        for (int i = 1; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("--help") || option.equals("-h")) {
                errors.add("");
                break;
            }
            if (option.equals("--without-logistics")) {
                withoutLogistics = true;
                continue;
            }
            if (!option.startsWith("-")) {
                operands.add(option);
                continue;
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
                    if (!value.matches("(" + String.join("|", COMPONENTS) + "):[a-z][a-zA-Z0-9._\\[\\]-]*=.*")) {
                        errors.add("--set: " + value + " (expected: " + String.join("|", COMPONENTS) + ":key=value)");
                    }
                    extra.add(value);
                }
                case "--domain" -> {
                    domain = value;
                    if (!Domain.NAMES.contains(value)) {
                        errors.add("--domain: " + value + " (expected: " + String.join(" or ", Domain.NAMES) + ")");
                    }
                }
                case "--reason" -> {
                    reason = value;
                    if (!REASONS.contains(value)) {
                        errors.add("--reason: " + value + " (expected: one of " + String.join(", ", REASONS) + ")");
                    }
                }
                default -> errors.add("unknown option: " + option);
            }
        }
        checkOperands(command, operands, errors);
        if (!domain.equals(Domain.ECOMM) && !List.of("revoke", "rotate").contains(command)) {
            errors.add("--domain: only for revoke and rotate");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException((String.join("\n", errors) + "\n" + USAGE).strip());
        }
        return new LaunchOptions(command, home, repository, gatewayPort, stsPort, database, postgresUrl, prefix, extra,
                operands, reason, withoutLogistics, domain);
    }

    private static void checkOperands(String command, List<String> operands, List<String> errors) {
        switch (command) {
            case "revoke" -> {
                if (operands.size() != 1 || !operands.get(0).matches("(0[xX])?[0-9a-fA-F]{1,40}(:[0-9a-fA-F]{1,40}){0,40}")) {
                    errors.add("revoke: " + String.join(" ", operands)
                            + " (expected: the certificate's serial number in hex, e.g. 4f2a...)");
                }
            }
            case "rotate" -> {
                if (!operands.equals(List.of("intermediate")) && !operands.equals(List.of("root"))) {
                    errors.add("rotate: " + String.join(" ", operands) + " (expected: intermediate or root)");
                }
            }
            case "audit" -> {
                if (!operands.equals(List.of("verify"))) {
                    errors.add("audit: " + String.join(" ", operands) + " (expected: verify)");
                }
            }
            default -> {
                if (!operands.isEmpty()) {
                    errors.add("unexpected argument: " + operands.get(0));
                }
            }
        }
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
