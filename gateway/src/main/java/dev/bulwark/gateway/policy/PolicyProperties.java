package dev.bulwark.gateway.policy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code bulwark.gateway.policy.*}, every default written once here; a wrong setting fails start-up with
 * every problem listed.
 *
 * @param engine {@code cedar} (embedded, default), {@code opa} (an OPA server's Data API) or {@code none}
 * @param dir the Cedar policy directory ({@code *.cedar}, {@code schema.cedarschema}, {@code entities.json});
 *     unset: the book policies shipped in bulwark-policy
 * @param reloadInterval how often {@code dir} is polled for changes ({@code PT0S}: never)
 * @param resourceType the entity type of an item under the route prefix ({@code /api/orders/{id}} →
 *     {@code Order::"{id}"}); the prefix itself is {@code Collection::"<route id>"}
 * @param opa the OPA server, for {@code engine=opa}
 * @param admin the policy admin API (mTLS, workload identity needed), for {@code engine=cedar}
 */
@ConfigurationProperties("bulwark.gateway.policy")
public record PolicyProperties(
        @DefaultValue("cedar") Engine engine,
        @Nullable Path dir,
        @DefaultValue("PT2S") Duration reloadInterval,
        @DefaultValue("Order") String resourceType,
        @DefaultValue Opa opa,
        @DefaultValue Admin admin) {

    /** Which engine decides. */
    public enum Engine { CEDAR, OPA, NONE }

    private static final Set<String> RESOURCE_TYPES = Set.of("Order", "Collection");

    public PolicyProperties {
        List<String> problems = new ArrayList<>();
        if (dir != null && !Files.isDirectory(dir)) {
            problems.add("bulwark.gateway.policy.dir: " + dir + " (expected: a directory with *.cedar and schema.cedarschema)");
        }
        if (reloadInterval.isNegative()) {
            problems.add("bulwark.gateway.policy.reload-interval: " + reloadInterval + " (expected: PT0S or more)");
        }
        if (!RESOURCE_TYPES.contains(resourceType)) {
            problems.add("bulwark.gateway.policy.resource-type: " + resourceType + " (expected: one of " + RESOURCE_TYPES + ")");
        }
        if (engine == Engine.OPA) {
            problems.addAll(opa.problems());
        }
        problems.addAll(admin.problems(engine));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid policy configuration: " + String.join("; ", problems));
        }
    }

    /**
     * @param url the OPA server, e.g. {@code http://127.0.0.1:8181}
     * @param path the decision document, {@code bulwark/allow}
     * @param timeout per decision
     * @param spiffeId the OPA server's SPIFFE ID, expected for an https {@code url} when workload identity is on
     */
    public record Opa(@Nullable URI url, @DefaultValue("bulwark/allow") String path, @DefaultValue("PT1S") Duration timeout,
            @DefaultValue("spiffe://ecomm.local/opa") String spiffeId) {
        List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                problems.add("bulwark.gateway.policy.opa.url: " + url + " (expected: http(s)://host:port of the OPA server)");
            }
            if (!path.matches("[A-Za-z0-9_]+(/[A-Za-z0-9_]+)*")) {
                problems.add("bulwark.gateway.policy.opa.path: " + path + " (expected: a document path like bulwark/allow)");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                problems.add("bulwark.gateway.policy.opa.timeout: " + timeout + " (expected: a positive duration)");
            }
            return problems;
        }
    }

    /**
     * @param port the admin API port on 127.0.0.1 (0: no admin API)
     * @param spiffeId the only client the admin API serves
     */
    public record Admin(@DefaultValue("0") int port, @DefaultValue("spiffe://ecomm.local/admin") String spiffeId) {
        List<String> problems(Engine engine) {
            List<String> problems = new ArrayList<>();
            if (port < 0 || port > 65535) {
                problems.add("bulwark.gateway.policy.admin.port: " + port + " (expected: 0 for none, or 1-65535)");
            }
            if (port > 0 && engine != Engine.CEDAR) {
                problems.add("bulwark.gateway.policy.admin.port: " + port + " with engine " + engine.name().toLowerCase()
                        + " (expected: the admin API only with engine cedar)");
            }
            if (!spiffeId.matches("spiffe://[a-z0-9._-]+/\\S+")) {
                problems.add("bulwark.gateway.policy.admin.spiffe-id: " + spiffeId + " (expected: spiffe://<trust domain>/<path>)");
            }
            return problems;
        }
    }
}
