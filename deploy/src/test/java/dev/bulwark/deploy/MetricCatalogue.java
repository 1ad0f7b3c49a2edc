package dev.bulwark.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metrics catalogue table of {@code docs/observability.md} (section "Metrics catalogue"), read as
 * data: each row's Micrometer name, type and Prometheus name, and the Prometheus series names each one
 * produces. The document is the single list; the build holds the deploy files to it.
 */
final class MetricCatalogue {

    /** Series Prometheus itself adds to every scrape. */
    static final Set<String> PROMETHEUS_BUILT_INS = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");

    record Entry(String name, String type, String prometheusName) {

        /** The Prometheus name Micrometer's Prometheus registry gives this meter. */
        String derivedPrometheusName() {
            String base = name.replace('.', '_');
            return switch (type) {
                case "counter", "function counter" -> base + "_total";
                case "timer" -> base + "_seconds";
                case "gauge" -> base;
                default -> throw new IllegalArgumentException("type of " + name + ": " + type
                        + " (expected: counter, function counter, timer or gauge)");
            };
        }

        /** The series names a scrape shows for this meter. */
        Set<String> series() {
            String prometheus = derivedPrometheusName();
            if (type.equals("timer")) {
                return Set.of(prometheus + "_count", prometheus + "_sum", prometheus + "_max", prometheus + "_bucket");
            }
            return Set.of(prometheus);
        }
    }

    private static final String SECTION = "### Metrics catalogue";

    private final Map<String, Entry> entries;

    private MetricCatalogue(Map<String, Entry> entries) {
        this.entries = entries;
    }

    static MetricCatalogue read(Path markdown) throws IOException {
        return parse(Files.readString(markdown, StandardCharsets.UTF_8));
    }

    static MetricCatalogue parse(String markdown) {
        int start = markdown.indexOf(SECTION);
        if (start < 0) {
            throw new IllegalArgumentException("no '" + SECTION + "' section (expected: the catalogue table under it)");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (String line : markdown.substring(start + SECTION.length()).lines().toList()) {
            if (line.startsWith("#")) {
                break;
            }
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            // cells[0] is the empty text before the first '|'
            if (cells.length < 4) {
                throw new IllegalArgumentException("catalogue row: " + line + " (expected: | name | type | prometheus | ...)");
            }
            Entry entry = new Entry(unquote(cells[1]), cells[2].strip().toLowerCase(Locale.ROOT), unquote(cells[3]));
            if (entries.put(entry.name(), entry) != null) {
                duplicates.add(entry.name());
            }
        }
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException("catalogue lists more than once: " + duplicates);
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("catalogue table under '" + SECTION + "' is empty");
        }
        return new MetricCatalogue(entries);
    }

    List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** Every series name a query may use: the catalogue's and Prometheus's own. */
    Set<String> knownSeries() {
        Set<String> known = new TreeSet<>(PROMETHEUS_BUILT_INS);
        entries.values().forEach(entry -> known.addAll(entry.series()));
        return known;
    }

    private static String unquote(String cell) {
        return cell.strip().replace("`", "");
    }
}
