package dev.bulwark.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One process of local mode.
 *
 * @param name its name in endpoints.json: {@code identity}, {@code sts}, {@code order}, {@code inventory},
 *     {@code gateway}, {@code logistics-identity}, {@code logistics-sts}, {@code logistics-gateway}, {@code delivery}
 * @param domain the trust domain it belongs to: whose identity process gives it its SVID
 * @param workload the path of its SPIFFE ID ({@code spiffe://<trust domain>/<workload>}), {@code identity} for a CA
 * @param module the module directory whose {@code target/} holds its jar (looked up only when it is started)
 * @param url the URL it serves (for an identity process: its admin API)
 * @param managementPort the loopback port of its health and metrics endpoints
 * @param arguments its command-line properties
 * @param endpoints further endpoints it serves, recorded in endpoints.json (e.g. {@code ocsp})
 */
record Component(String name, Domain domain, String workload, Path module, String url, int managementPort,
        List<String> arguments, Map<String, String> endpoints) {

    Component {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(workload, "workload");
        arguments = List.copyOf(arguments);
        endpoints = Map.copyOf(endpoints);
    }

    /** The SPIFFE ID the launcher registers the process as (with its domain's identity process). */
    String spiffeId() {
        return domain.spiffeId(workload);
    }

    /** Whether this is a workload CA (started first, never registered as a workload). */
    boolean isIdentity() {
        return workload.equals("identity");
    }

    /**
     * The module's Spring Boot jar: the {@code -exec} one where the plain jar is a library (identity).
     * Looked up when the process starts, so a plan can be made before every module is built.
     */
    Path jar() {
        String pattern = isIdentity() ? "bulwark-.*-exec\\.jar" : "bulwark-.*\\.jar";
        Path target = module.resolve("target");
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

    String healthUrl() {
        return "http://127.0.0.1:" + managementPort + "/actuator/health";
    }

    String metricsUrl() {
        return "http://127.0.0.1:" + managementPort + "/actuator/prometheus";
    }
}
