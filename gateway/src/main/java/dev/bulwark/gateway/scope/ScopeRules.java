package dev.bulwark.gateway.scope;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The authorize stage's table: for each routed path, which scope each HTTP method needs. A method a
 * route does not list is denied (403) whatever the scopes; a path no route serves needs only an
 * authenticated caller (the gateway then answers 404 and proxies nothing).
 */
public final class ScopeRules {

    private final List<Route> routes;

    private ScopeRules(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** The order API: {@code GET} needs {@code orders:read}, {@code POST} and {@code DELETE} need {@code orders:write}. */
    public static ScopeRules orders() {
        return forRoute("orders", "/api/orders", "orders:read", "orders:write", "orders:write");
    }

    /**
     * One route: {@code pathPrefix} and everything under it; {@code GET} needs {@code readScope},
     * {@code POST} needs {@code writeScope}, {@code DELETE} needs {@code deleteScope} (not served when
     * null; what a DELETE may remove is then the policy's to decide, e.g. only the ops role cancels an
     * order), any other method is denied.
     */
    public static ScopeRules forRoute(String id, String pathPrefix, String readScope, String writeScope,
            @Nullable String deleteScope) {
        Map<HttpMethod, String> scopes = deleteScope == null
                ? Map.of(HttpMethod.GET, readScope, HttpMethod.POST, writeScope)
                : Map.of(HttpMethod.GET, readScope, HttpMethod.POST, writeScope, HttpMethod.DELETE, deleteScope);
        return new ScopeRules(List.of(new Route(id, List.of(pattern(pathPrefix), pattern(pathPrefix + "/**")), scopes)));
    }

    public Verdict evaluate(HttpMethod method, String path, Set<String> grantedScopes) {
        PathContainer container = PathContainer.parsePath(path);
        for (Route route : routes) {
            if (route.patterns().stream().anyMatch(p -> p.matches(container))) {
                String required = route.scopes().get(method);
                boolean granted = required != null && grantedScopes.contains(required);
                return new Verdict(granted ? Outcome.ALLOW : Outcome.DENY, route.id(), required);
            }
        }
        return new Verdict(Outcome.UNROUTED, null, null);
    }

    private static PathPattern pattern(String pattern) {
        return PathPatternParser.defaultInstance.parse(pattern);
    }

    private record Route(String id, List<PathPattern> patterns, Map<HttpMethod, String> scopes) {
    }

    public enum Outcome { ALLOW, DENY, UNROUTED }

    /** The decision, with the route and the scope it needed (for the 403 challenge and the metric). */
    public record Verdict(Outcome outcome, @Nullable String routeId, @Nullable String requiredScope) {

        public boolean permitted() {
            return outcome != Outcome.DENY;
        }
    }
}
