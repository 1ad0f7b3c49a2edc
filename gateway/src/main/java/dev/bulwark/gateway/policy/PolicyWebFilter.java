package dev.bulwark.gateway.policy;

import java.nio.charset.StandardCharsets;

import dev.bulwark.policy.OpaPolicyEngine;
import dev.bulwark.policy.PolicyDecision;
import dev.bulwark.policy.PolicyEngine;
import dev.bulwark.policy.PolicyRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The policy stage, placed in the API security chain right after the scope check: ALLOW goes on to
 * the throttle and the route; DENY is 403 and ERROR is 503, both an RFC 9457 problem with a fixed
 * detail (the reason is in the decision log, found by the {@value #DECISION_ID} header), and the
 * upstream is never called.
 */
final class PolicyWebFilter implements WebFilter {

    /** The response header that names the decision in the decision log. */
    static final String DECISION_ID = "Bulwark-Decision-Id";
    private static final Logger audit = LoggerFactory.getLogger("bulwark.audit");
    private static final String DENIED = "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"denied by policy\"}";
    private static final String UNAVAILABLE =
            "{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"policy decision unavailable\"}";

    private final PolicyEngine engine;
    private final RequestMapper mapper;
    private final boolean blocking;

    PolicyWebFilter(PolicyEngine engine, RequestMapper mapper) {
        this.engine = engine;
        this.mapper = mapper;
        this.blocking = engine instanceof OpaPolicyEngine;   // an HTTP call: off the event loop
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(SecurityContext::getAuthentication)
                .filter(Authentication::isAuthenticated)
                .map(authentication -> mapper.map(exchange.getRequest(), authentication))
                .defaultIfEmpty(new RequestMapper.Refuse("no authenticated caller"))
                .flatMap(mapped -> switch (mapped) {
                    case RequestMapper.Outside outside -> chain.filter(exchange);
                    case RequestMapper.Refuse refuse -> refuse(exchange, refuse.reason());
                    case RequestMapper.Ask ask -> decide(ask.request()).flatMap(decision -> decision.allowed()
                            ? chain.filter(exchange)
                            : write(exchange.getResponse(), decision));
                });
    }

    private Mono<PolicyDecision> decide(PolicyRequest request) {
        Mono<PolicyDecision> decision = Mono.fromSupplier(() -> engine.decide(request));
        return blocking ? decision.subscribeOn(Schedulers.boundedElastic()) : decision;
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, String reason) {
        audit.info("event=policy_refused method={} path={} reason=\"{}\"", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().value().replaceAll("[^\\x21-\\x7e]", "_"), reason.replace('"', '\''));
        return send(exchange.getResponse(), HttpStatus.FORBIDDEN, DENIED);
    }

    private static Mono<Void> write(ServerHttpResponse response, PolicyDecision decision) {
        response.getHeaders().set(DECISION_ID, decision.decisionId());
        return decision.result() == PolicyDecision.Result.DENY
                ? send(response, HttpStatus.FORBIDDEN, DENIED)
                : send(response, HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE);
    }

    private static Mono<Void> send(ServerHttpResponse response, HttpStatus status, String body) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setCacheControl("no-store");
        DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(buffer));
    }
}
