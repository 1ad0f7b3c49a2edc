package dev.bulwark.gateway.scope;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Applies {@link ScopeRules} to the authenticated caller; remembers a denial for the 403 renderer and
 * counts it as {@value #DENIALS}{route, scope} (the scope that was required, never the caller's token).
 */
public final class ScopeAuthorizationManager implements ReactiveAuthorizationManager<AuthorizationContext> {

    public static final String DENIED_VERDICT = ScopeAuthorizationManager.class.getName() + ".denied";
    private static final String SCOPE_PREFIX = "SCOPE_";

    /** Requests refused because the token lacks the route's scope, by route id and required scope. */
    public static final String DENIALS = "bulwark.gateway.scope.denials";

    private final ScopeRules rules;
    private final MeterRegistry meters;
    // route and scope come from configuration, so the set of counters is small and fixed
    private final ConcurrentMap<String, Counter> denials = new ConcurrentHashMap<>();

    public ScopeAuthorizationManager(ScopeRules rules) {
        this(rules, new SimpleMeterRegistry());
    }

    public ScopeAuthorizationManager(ScopeRules rules, MeterRegistry meters) {
        this.rules = rules;
        this.meters = meters;
    }

    @Override
    public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
        ServerWebExchange exchange = context.getExchange();
        return authentication
                .filter(Authentication::isAuthenticated)
                .map(auth -> {
                    ScopeRules.Verdict verdict = rules.evaluate(exchange.getRequest().getMethod(),
                            exchange.getRequest().getPath().pathWithinApplication().value(), scopes(auth));
                    if (!verdict.permitted()) {
                        exchange.getAttributes().put(DENIED_VERDICT, verdict);
                        if (verdict.outcome() == ScopeRules.Outcome.DENY) {
                            countDenial(verdict);
                        }
                    }
                    return (AuthorizationResult) new AuthorizationDecision(verdict.permitted());
                })
                .defaultIfEmpty(new AuthorizationDecision(false));
    }

    private void countDenial(ScopeRules.Verdict verdict) {
        String route = String.valueOf(verdict.routeId());
        String scope = String.valueOf(verdict.requiredScope());
        denials.computeIfAbsent(route + ' ' + scope, key -> Counter.builder(DENIALS)
                .description("Requests refused at the gateway because the token lacks the route's scope")
                .tag("route", route)
                .tag("scope", scope)
                .register(meters)).increment();
    }

    private static Set<String> scopes(Authentication authentication) {
        return authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(a -> a != null && a.startsWith(SCOPE_PREFIX))
                .map(a -> a.substring(SCOPE_PREFIX.length()))
                .collect(Collectors.toUnmodifiableSet());
    }
}
