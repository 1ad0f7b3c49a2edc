package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The deploy files against the metrics catalogue of docs/observability.md, in plain Java (no
 * promtool needed): a metric renamed in the code and the catalogue, but not in an alert, is a silent
 * alert that never fires; this test makes it a red build.
 */
class DeployCatalogueTests {

    @Test
    void catalogueWhenReadThenEveryPrometheusNameFollowsFromTheMicrometerName() throws Exception {
        MetricCatalogue catalogue = MetricCatalogue.read(DeployFiles.CATALOGUE);

        assertThat(catalogue.entries()).hasSizeGreaterThan(20);
        assertThat(catalogue.entries()).allSatisfy(entry -> assertThat(entry.prometheusName())
                .as("Prometheus name of %s (%s)", entry.name(), entry.type())
                .isEqualTo(entry.derivedPrometheusName()));
    }

    @Test
    void catalogueListsTheMetricsThisIssueAdded() throws Exception {
        Set<String> names = new HashSet<>();
        MetricCatalogue.read(DeployFiles.CATALOGUE).entries().forEach(entry -> names.add(entry.name()));

        assertThat(names).contains("bulwark.gateway.scope.denials", "bulwark.gateway.introspection.cache",
                "bulwark.jwks.refreshes", "spring.cloud.gateway.requests", "bulwark.policy.decisions",
                "bulwark.throttle.decisions", "bulwark.svid.expiry.seconds");
    }

    @Test
    void everyMetricInTheAlertRulesIsInTheCatalogue() throws Exception {
        Set<String> known = MetricCatalogue.read(DeployFiles.CATALOGUE).knownSeries();
        Map<String, Set<String>> unknown = new LinkedHashMap<>();
        for (DeployFiles.Alert alert : DeployFiles.alerts()) {
            Set<String> names = PromQl.metricNames(alert.expr());
            assertThat(names).as("metrics of alert %s: %s", alert.name(), alert.expr()).isNotEmpty();
            names.stream().filter(name -> !known.contains(name))
                    .forEach(name -> unknown.computeIfAbsent(alert.name(), k -> new TreeSet<>()).add(name));
        }

        assertThat(unknown).as("alert → metrics missing from docs/observability.md's catalogue").isEmpty();
    }

    @Test
    void everyMetricInTheDashboardIsInTheCatalogue() throws Exception {
        Set<String> known = MetricCatalogue.read(DeployFiles.CATALOGUE).knownSeries();
        Map<String, Set<String>> unknown = new LinkedHashMap<>();
        for (DeployFiles.Query query : DeployFiles.dashboardQueries(DeployFiles.dashboard())) {
            PromQl.metricNames(query.expr()).stream().filter(name -> !known.contains(name))
                    .forEach(name -> unknown.computeIfAbsent(query.panel(), k -> new TreeSet<>()).add(name));
        }

        assertThat(unknown).as("panel → metrics missing from docs/observability.md's catalogue").isEmpty();
    }

    @Test
    void everyAlertHasASeverityASummaryAndAUniqueName() throws Exception {
        List<DeployFiles.Alert> alerts = DeployFiles.alerts();

        assertThat(alerts).hasSizeGreaterThanOrEqualTo(5);
        assertThat(alerts).extracting(DeployFiles.Alert::name).doesNotHaveDuplicates()
                .allMatch(name -> name.startsWith("Bulwark"));
        assertThat(alerts).allSatisfy(alert -> {
            assertThat(alert.labels().get("severity")).as("severity of %s", alert.name()).isIn("warning", "critical");
            assertThat(alert.annotations().get("summary")).as("summary of %s", alert.name()).isNotNull();
        });
    }

    @Test
    void alertRulesCoverTheIssuesSignals() throws Exception {
        assertThat(DeployFiles.alerts()).extracting(DeployFiles.Alert::name).contains("BulwarkAuthFailureSpike",
                "BulwarkSvidExpiringSoon", "BulwarkThrottlingAtCeiling", "BulwarkPolicyErrors", "BulwarkStsServerErrors",
                "BulwarkTokenExchangeErrors");
    }

    @Test
    void dashboardIsJsonWhosePanelsAllHaveQueries() throws Exception {
        JsonNode dashboard = DeployFiles.dashboard();

        assertThat(dashboard.path("uid").asString()).isEqualTo("bulwark-overview");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s is unique", panel.path("id")).isTrue();
            if (!panel.path("type").asString().equals("row")) {
                assertThat(panel.path("targets")).as("queries of panel %s", panel.path("title")).isNotEmpty();
                panel.path("targets").forEach(target -> assertThat(target.path("expr").asString())
                        .as("query of panel %s", panel.path("title")).isNotBlank());
            }
        }
        assertThat(DeployFiles.dashboardQueries(dashboard)).hasSizeGreaterThan(20);
    }

    @Test
    void metricNamesWhenGroupingLabelsAndLabelValuesThenOnlyTheMetrics() {
        assertThat(PromQl.metricNames("sum by (component, instance) (rate(bulwark_gateway_auth_failures_total"
                + "{reason!=\"unavailable\", x=~\"bulwark_fake_.*\"}[5m])) / on (component) group_left (instance)"
                + " up{job=\"bulwark\"} > 5 and bool bulwark_svid_expiry_seconds[$__rate_interval]"))
                .containsExactly("bulwark_gateway_auth_failures_total", "bulwark_svid_expiry_seconds", "up");
    }

    @Test
    void metricNamesWhenAMetricIsMisspelledThenItIsReportedAsUnknown() throws Exception {
        Set<String> known = MetricCatalogue.read(DeployFiles.CATALOGUE).knownSeries();

        assertThat(PromQl.metricNames("rate(bulwark_gateway_auth_failure_total[5m]) > 1"))
                .containsExactly("bulwark_gateway_auth_failure_total")
                .noneMatch(known::contains);
    }

    @Test
    void catalogueWhenPrometheusNameDoesNotFollowThenTheRowIsNamed() {
        MetricCatalogue catalogue = MetricCatalogue.parse("""
                ### Metrics catalogue
                | Metric | Type | Prometheus |
                |---|---|---|
                | `bulwark.x.things` | counter | `bulwark_x_things` |
                """);

        assertThat(catalogue.entries().getFirst().derivedPrometheusName()).isEqualTo("bulwark_x_things_total");
        assertThatThrownBy(() -> MetricCatalogue.parse("| `a.b` | counter | `a_b_total` |"))
                .hasMessageContaining("Metrics catalogue");
    }

    @Test
    void everyMeterTheCodeRegistersIsInTheCatalogue() throws Exception {
        Set<String> catalogued = new HashSet<>();
        MetricCatalogue.read(DeployFiles.CATALOGUE).entries().forEach(entry -> catalogued.add(entry.name()));

        Map<String, java.nio.file.Path> inCode = MetricsInCode.find(DeployFiles.REPOSITORY);

        assertThat(inCode).as("meters found in the sources").containsKeys("bulwark.gateway.auth.failures",
                "bulwark.svid.expiry.seconds", "bulwark.jwks.refreshes");
        Map<String, java.nio.file.Path> missing = new LinkedHashMap<>(inCode);
        missing.keySet().removeAll(catalogued);
        missing.keySet().removeAll(MetricsInCode.NOT_METERS);
        assertThat(missing).as("meter → where it is registered; add it to docs/observability.md's catalogue").isEmpty();
    }
}
