package dev.bulwark.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * One process of local mode.
 *
 * @param name {@code sts}, {@code gateway}, {@code order}
 * @param jar the Spring Boot jar it runs
 * @param url the URL it serves
 * @param managementPort the loopback port of its health and metrics endpoints
 * @param arguments its command-line properties
 */
record Component(String name, Path jar, String url, int managementPort, List<String> arguments) {

    String healthUrl() {
        return "http://127.0.0.1:" + managementPort + "/actuator/health";
    }

    String metricsUrl() {
        return "http://127.0.0.1:" + managementPort + "/actuator/prometheus";
    }
}
