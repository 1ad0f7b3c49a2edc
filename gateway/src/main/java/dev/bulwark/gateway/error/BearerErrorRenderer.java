package dev.bulwark.gateway.error;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;

import dev.bulwark.gateway.scope.ScopeAuthorizationManager;
import dev.bulwark.gateway.scope.ScopeRules;
import dev.bulwark.gateway.token.FailureReason;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The one place that turns an authentication or authorization failure into a response (RFC 6750 §3):
 * 401 {@code Bearer error="invalid_token"} for a missing or bad token, 403
 * {@code error="insufficient_scope"} for a missing scope, 503 when the token could not be checked
 * (JWKS or introspection unreachable). Bodies are a fixed RFC 9457 problem with no detail, so nothing
 * about why a token failed (or about the gateway's internals) reaches the caller; the reason goes to
 * the log and the {@code bulwark.gateway.auth.failures{reason}} counter instead. Both failures are
 * security events: their lines go to the audit logger {@code bulwark.audit} (console and the
 * hash-chained audit file), never with the token.
 *
 * <p>A request without any token also gets {@code error="invalid_token"}: RFC 6750 §3.1 says the code
 * SHOULD be omitted there, but Bulwark's clients and attack tests treat "no token" and "bad token"
 * alike, and the code tells a client to fetch a token instead of guessing.
 */
public final class BearerErrorRenderer
        implements ServerAuthenticationEntryPoint, ServerAuthenticationFailureHandler, ServerAccessDeniedHandler {

    static final String FAILURES = "bulwark.gateway.auth.failures";

    /** Security events go to the audit trail (security-kit-boot chains this logger into {@code <home>/audit/}). */
    private static final Logger audit = LoggerFactory.getLogger("bulwark.audit");

    private final MeterRegistry meters;

    public BearerErrorRenderer(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
        return fail(exchange, failure);
    }

    @Override
    public Mono<Void> onAuthenticationFailure(WebFilterExchange exchange, AuthenticationException failure) {
        return fail(exchange.getExchange(), failure);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        ScopeRules.Verdict verdict = exchange.getAttribute(ScopeAuthorizationManager.DENIED_VERDICT);
        String route = verdict != null && verdict.routeId() != null ? verdict.routeId() : "none";
        // counted where it is decided: ScopeAuthorizationManager, bulwark.gateway.scope.denials{route, scope}
        audit.info("event=scope_denied route={} method={} required_scope={}", route,
                exchange.getRequest().getMethod(), verdict != null ? verdict.requiredScope() : null);
        String challenge = "Bearer error=\"insufficient_scope\"";
        if (verdict != null && verdict.requiredScope() != null) {
            challenge += ", scope=\"" + verdict.requiredScope() + "\"";
        }
        return write(exchange.getResponse(), HttpStatus.FORBIDDEN, challenge);
    }

    private Mono<Void> fail(ServerWebExchange exchange, AuthenticationException failure) {
        FailureReason reason = classify(failure);
        meters.counter(FAILURES, "reason", reason.tag()).increment();
        audit.info("event=auth_failure reason={} method={} path={}", reason.tag(), exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().value());
        if (reason == FailureReason.UNAVAILABLE) {
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
            return write(exchange.getResponse(), HttpStatus.SERVICE_UNAVAILABLE, null);
        }
        return write(exchange.getResponse(), HttpStatus.UNAUTHORIZED, "Bearer error=\"invalid_token\"");
    }

    static FailureReason classify(AuthenticationException failure) {
        if (failure instanceof AuthenticationServiceException) {
            return FailureReason.UNAVAILABLE;
        }
        if (!(failure instanceof OAuth2AuthenticationException oauth)) {
            return FailureReason.MISSING;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JwtValidationException invalid && !invalid.getErrors().isEmpty()) {
                return FailureReason.fromTag(String.valueOf(invalid.getErrors().iterator().next().getDescription()));
            }
            if (cause instanceof ParseException) {
                return FailureReason.MALFORMED;
            }
        }
        String description = String.valueOf(oauth.getError().getDescription());
        if (description.contains("malformed")) {
            return FailureReason.MALFORMED;
        }
        FailureReason tagged = FailureReason.fromTag(description);
        if (tagged != FailureReason.INVALID) {
            return tagged;
        }
        return failure.getCause() != null ? FailureReason.INVALID_SIGNATURE : FailureReason.INVALID;
    }

    private static Mono<Void> write(ServerHttpResponse response, HttpStatus status, @Nullable String challenge) {
        if (response.isCommitted()) {
            return Mono.empty();
        }
        response.setStatusCode(status);
        if (challenge != null) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = ("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
                + status.value() + "}").getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
