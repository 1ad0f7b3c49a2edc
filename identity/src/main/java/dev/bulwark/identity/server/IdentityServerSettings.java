package dev.bulwark.identity.server;

import dev.bulwark.identity.spiffe.TrustDomain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The identity process's settings, from Spring-style {@code --key=value} arguments; every default is
 * in {@link #parse}. Ports 0 mean "any free port" (the revocation port cannot be 0: it goes into every
 * SVID).
 *
 * @param home the Bulwark home ({@code .bulwark})
 * @param trustDomain the trust domain of every SVID
 * @param svidLifetime the lifetime of each X.509-SVID
 * @param rootPropagation how long a new root is in the bundle before it signs (a root rotation's
 *     activation delay), so that every workload trusts it before any peer presents a chain to it
 * @param socket the Workload API's Unix domain socket
 * @param revocationPort OCSP and CRL over HTTP on 127.0.0.1
 * @param adminPort the admin API, HTTPS with mTLS on 127.0.0.1
 * @param managementPort health and metrics, plain HTTP on 127.0.0.1
 * @param federation the federated trust domains and the PEM bundle file of each (none by default)
 */
public record IdentityServerSettings(Path home, TrustDomain trustDomain, Duration svidLifetime, Duration rootPropagation,
        Path socket,
        int revocationPort, int adminPort, int managementPort, Map<TrustDomain, Path> federation) {

    static final String HOME = "bulwark.home";
    static final String TRUST_DOMAIN = "bulwark.identity.trust-domain";
    static final String SVID_LIFETIME = "bulwark.identity.svid-lifetime";
    static final String ROOT_PROPAGATION = "bulwark.identity.root-propagation";
    static final String SOCKET = "bulwark.identity.socket";
    static final String REVOCATION_PORT = "bulwark.identity.revocation-port";
    static final String ADMIN_PORT = "server.port";
    static final String MANAGEMENT_PORT = "management.server.port";
    static final String FEDERATION = "bulwark.identity.federation";
    private static final Set<String> KEYS = Set.of(HOME, TRUST_DOMAIN, SVID_LIFETIME, ROOT_PROPAGATION, SOCKET, REVOCATION_PORT, ADMIN_PORT,
            MANAGEMENT_PORT, FEDERATION);
    /** Linux's sun_path holds 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH_BYTES = 107;

    public IdentityServerSettings {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(svidLifetime, "svidLifetime");
        Objects.requireNonNull(rootPropagation, "rootPropagation");
        Objects.requireNonNull(socket, "socket");
        federation = Map.copyOf(federation);
    }

    /** These settings without federation (the settings of a process that trusts only its own domain). */
    public IdentityServerSettings(Path home, TrustDomain trustDomain, Duration svidLifetime, Duration rootPropagation, Path socket,
            int revocationPort, int adminPort, int managementPort) {
        this(home, trustDomain, svidLifetime, rootPropagation, socket, revocationPort, adminPort, managementPort, Map.of());
    }

    /** The workload CA's files: {@code <home>/pki}. */
    public Path pkiDirectory() {
        return home.resolve("pki");
    }

    /** The identity process's own files: {@code <home>/identity}. */
    public Path identityDirectory() {
        return home.resolve("identity");
    }

    /**
     * Parses {@code --key=value} arguments. {@code --spring.*} and {@code --logging.*} are ignored (a
     * launcher may pass them to every component); any other unknown key is an error.
     *
     * @throws IllegalArgumentException listing every problem, one per line
     */
    public static IdentityServerSettings parse(List<String> args) {
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                problems.add("argument: " + arg + " (expected: --key=value)");
                continue;
            }
            String key = arg.substring(2, eq);
            if (key.startsWith("spring.") || key.startsWith("logging.")) {
                continue;
            }
            if (!KEYS.contains(key)) {
                problems.add("unknown argument: --" + key + " (expected one of: --" + String.join(", --", KEYS.stream().sorted().toList()) + ")");
            } else if (values.putIfAbsent(key, arg.substring(eq + 1)) != null) {
                problems.add("--" + key + ": given twice (expected: once)");
            }
        }
        Path home = value(values, HOME, ".bulwark", IdentityServerSettings::path, problems);
        TrustDomain trustDomain = value(values, TRUST_DOMAIN, TrustDomain.DEFAULT.name(), TrustDomain::parse, problems);
        Duration svidLifetime = value(values, SVID_LIFETIME, "PT1H", IdentityServerSettings::duration, problems);
        Duration rootPropagation = value(values, ROOT_PROPAGATION, "PT5S", IdentityServerSettings::duration, problems);
        Path socket = value(values, SOCKET, home == null ? ".bulwark/identity/agent.sock" : home.resolve("identity/agent.sock").toString(),
                IdentityServerSettings::socket, problems);
        Integer revocationPort = value(values, REVOCATION_PORT, null, v -> port(v, 1), problems);
        Integer adminPort = value(values, ADMIN_PORT, null, v -> port(v, 0), problems);
        Integer managementPort = value(values, MANAGEMENT_PORT, null, v -> port(v, 0), problems);
        Map<TrustDomain, Path> federation = value(values, FEDERATION, "", IdentityServerSettings::federation, problems);
        if (federation != null && trustDomain != null && federation.containsKey(trustDomain)) {
            problems.add("--" + FEDERATION + ": " + trustDomain + " is this process's own trust domain (expected: other trust domains)");
        }
        if (revocationPort != null && adminPort != null && managementPort != null) {
            List<Integer> fixed = new ArrayList<>(List.of(revocationPort));
            for (Integer port : List.of(adminPort, managementPort)) {
                if (port != 0 && fixed.contains(port)) {
                    problems.add("port " + port + ": used twice (expected: --" + REVOCATION_PORT + ", --" + ADMIN_PORT
                            + " and --" + MANAGEMENT_PORT + " to differ)");
                }
                fixed.add(port);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new IdentityServerSettings(home, trustDomain, svidLifetime, rootPropagation, socket, revocationPort, adminPort, managementPort,
                federation);
    }

    /** The parsed value of {@code key}, or its default; null (with a problem added) when it is missing or invalid. */
    private static <T> @Nullable T value(Map<String, String> values, String key, @Nullable String defaultValue,
            Function<String, T> parser,
            List<String> problems) {
        String raw = values.getOrDefault(key, defaultValue);
        if (raw == null) {
            problems.add("--" + key + ": missing (expected: a port, e.g. --" + key + "=8600)");
            return null;
        }
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            problems.add("--" + key + ": " + e.getMessage());
            return null;
        }
    }

    private static Path path(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("'' (expected: a directory)");
        }
        return Path.of(value);
    }

    /** {@code <trust-domain>=<bundle.pem>[,<trust-domain>=<file>...]}, empty for none. */
    private static Map<TrustDomain, Path> federation(String value) {
        Map<TrustDomain, Path> federation = new LinkedHashMap<>();
        if (value.isBlank()) {
            return federation;
        }
        for (String entry : value.split(",", -1)) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException(entry + " (expected: <trust-domain>=<bundle.pem>, e.g. logistics.local=.bulwark/logistics/pki/bundle.pem)");
            }
            TrustDomain domain = TrustDomain.parse(entry.substring(0, eq).strip());
            if (federation.put(domain, path(entry.substring(eq + 1).strip())) != null) {
                throw new IllegalArgumentException(domain + " given twice (expected: one bundle file per trust domain)");
            }
        }
        return federation;
    }

    private static Path socket(String value) {
        Path socket = path(value);
        int bytes = socket.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SOCKET_PATH_BYTES) {
            throw new IllegalArgumentException(value + " is " + bytes + " bytes as an absolute path (expected: at most "
                    + MAX_SOCKET_PATH_BYTES + ", the limit of a Unix socket address)");
        }
        return socket;
    }

    private static Duration duration(String value) {
        Duration duration;
        try {
            duration = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(value + " (expected: an ISO-8601 duration such as PT1H or PT10S)", e);
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(value + " (expected: between PT1S and P1D)");
        }
        return duration;
    }

    private static int port(String value, int min) {
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < min || port > 65535) {
            throw new IllegalArgumentException(value + " (expected: a port from " + min + " to 65535"
                    + (min == 0 ? ", 0 for any free one)" : ")"));
        }
        return port;
    }
}
