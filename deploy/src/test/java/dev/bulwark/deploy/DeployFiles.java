package dev.bulwark.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The files under test, from the module directory (Maven runs tests there). */
final class DeployFiles {

    static final Path PROMETHEUS = Path.of("prometheus");
    static final Path ALERTS = PROMETHEUS.resolve("alerts.yml");
    static final Path ALERTS_TEST = PROMETHEUS.resolve("alerts_test.yml");
    static final Path CONFIG = PROMETHEUS.resolve("prometheus.yml");
    static final Path DASHBOARD = Path.of("grafana", "bulwark-dashboard.json");
    static final Path REPOSITORY = Path.of("..");
    static final Path CATALOGUE = REPOSITORY.resolve(Path.of("docs", "observability.md"));

    /** One alerting rule as written in alerts.yml. */
    record Alert(String name, String expr, Map<String, Object> labels, Map<String, Object> annotations) {
    }

    /** One query of a dashboard panel. */
    record Query(String panel, String expr) {
    }

    private DeployFiles() {
    }

    @SuppressWarnings("unchecked")
    static List<Alert> alerts() throws IOException {
        Map<String, Object> root;
        try (InputStream in = Files.newInputStream(ALERTS)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        List<Alert> alerts = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) root.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                if (rule.containsKey("alert")) {
                    alerts.add(new Alert((String) rule.get("alert"), String.valueOf(rule.get("expr")),
                            (Map<String, Object>) rule.getOrDefault("labels", Map.of()),
                            (Map<String, Object>) rule.getOrDefault("annotations", Map.of())));
                }
            }
        }
        return alerts;
    }

    static JsonNode dashboard() throws IOException {
        return JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
    }

    /** Every query of every panel, rows' nested panels included. */
    static List<Query> dashboardQueries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        collect(dashboard.path("panels"), queries);
        return queries;
    }

    private static void collect(JsonNode panels, List<Query> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(panel.path("title").asString(), target.path("expr").asString()));
            }
            collect(panel.path("panels"), queries);
        }
    }
}
