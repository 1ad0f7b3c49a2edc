package dev.bulwark.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One process of local mode.
 *
 * @param name {@code identity}, {@code sts}, {@code gateway}, {@code order}
 * @param jar the Spring Boot jar it runs
 * @param url the URL it serves (for {@code identity}: its admin API)
 * @param managementPort the loopback port of its health and metrics endpoints
 * @param arguments its command-line properties
 * @param endpoints further endpoints it serves, recorded in endpoints.json (e.g. {@code ocsp})
 */
record Component(String name, Path jar, String url, int managementPort, List<String> arguments,
        Map<String, String> endpoints) {

    /** The trust domain of local mode; every component is {@code spiffe://ecomm.local/<name>}. */
    static final String TRUST_DOMAIN = "ecomm.local";

    Component {
        arguments = List.copyOf(arguments);
        endpoints = Map.copyOf(endpoints);
    }

    Component(String name, Path jar, String url, int managementPort, List<String> arguments) {
        this(name, jar, url, managementPort, arguments, Map.of());
    }

    static String spiffeId(String name) {
        return "spiffe://" + TRUST_DOMAIN + "/" + name;
    }

    /** The SPIFFE ID the launcher registers the process as. */
    String spiffeId() {
        return spiffeId(name);
    }

    /** Whether this is the workload CA (started first, never registered as a workload). */
    boolean isIdentity() {
        return name.equals("identity");
    }

    String healthUrl() {
        return "http://127.0.0.1:" + managementPort + "/actuator/health";
    }

    String metricsUrl() {
        return "http://127.0.0.1:" + managementPort + "/actuator/prometheus";
    }
}
