package dev.bulwark.gateway.scope;

import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Applies {@link ScopeRules} to the authenticated caller; remembers a denial for the 403 renderer. */
public final class ScopeAuthorizationManager implements ReactiveAuthorizationManager<AuthorizationContext> {

    public static final String DENIED_VERDICT = ScopeAuthorizationManager.class.getName() + ".denied";
    private static final String SCOPE_PREFIX = "SCOPE_";

    private final ScopeRules rules;

    public ScopeAuthorizationManager(ScopeRules rules) {
        this.rules = rules;
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
                    }
                    return (AuthorizationResult) new AuthorizationDecision(verdict.permitted());
                })
                .defaultIfEmpty(new AuthorizationDecision(false));
    }

    private static Set<String> scopes(Authentication authentication) {
        return authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(a -> a != null && a.startsWith(SCOPE_PREFIX))
                .map(a -> a.substring(SCOPE_PREFIX.length()))
                .collect(Collectors.toUnmodifiableSet());
    }
}
