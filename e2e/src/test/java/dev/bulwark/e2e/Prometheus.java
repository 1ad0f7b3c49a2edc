package dev.bulwark.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Reads counters from a component's Prometheus endpoint (plain HTTP on loopback). */
final class Prometheus {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Prometheus() {
    }

    /**
     * The sum of every sample of {@code metric} whose labels include {@code labels} (e.g.
     * {@code reason="no_certificate"}); 0 when there is none yet (a counter is registered on first use).
     */
    static double sum(URI scrapeUrl, String metric, Map<String, String> labels) {
        String body = scrape(scrapeUrl);
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(metric + "{") || line.startsWith(metric + " "))) {
                continue;
            }
            String labelPart = line.contains("{") ? line.substring(line.indexOf('{'), line.lastIndexOf('}') + 1) : "";
            boolean matches = labels.entrySet().stream()
                    .allMatch(e -> labelPart.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (matches) {
                String rest = line.contains("{") ? line.substring(line.lastIndexOf('}') + 1) : line.substring(metric.length());
                String[] fields = rest.strip().split("\\s+");
                sum += Double.parseDouble(fields[0]);
            }
        }
        return sum;
    }

    static double handshakeFailures(URI scrapeUrl, String reason) {
        return sum(scrapeUrl, "bulwark_tls_handshake_failures_total", Map.of("reason", reason));
    }

    static double svidRotations(URI scrapeUrl) {
        return sum(scrapeUrl, "bulwark_svid_rotations_total", Map.of());
    }

    static String scrape(URI scrapeUrl) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(scrapeUrl).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(scrapeUrl + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
