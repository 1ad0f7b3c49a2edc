package dev.bulwark.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.access.AccessDeniedException;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Authentication failures and scope denials are security events: one line each on {@code bulwark.audit}, never the token. */
class BearerErrorRendererTests {

    private static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJwZXRlciJ9.c2lnbmF0dXJl";

    private final Logger audit = (Logger) LoggerFactory.getLogger("bulwark.audit");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final BearerErrorRenderer renderer = new BearerErrorRenderer(new SimpleMeterRegistry());

    BearerErrorRendererTests() {
        lines.start();
        audit.addAppender(lines);
    }

    @AfterEach
    void tearDown() {
        audit.detachAppender(lines);
    }

    @Test
    void commenceWhenTokenRejectedThenAuthFailureOnTheAuditLoggerWithoutTheToken() {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("/api/orders/42").header("Authorization", "Bearer " + TOKEN));

        renderer.commence(exchange, new OAuth2AuthenticationException(new OAuth2Error("invalid_token", "malformed", null)))
                .block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("event=auth_failure ").contains("reason=malformed", "method=GET", "path=/api/orders/42")
                .doesNotContain(TOKEN);
    }

    @Test
    void handleWhenScopeMissingThenScopeDeniedOnTheAuditLogger() {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.post("/api/orders").header("Authorization", "Bearer " + TOKEN));

        renderer.handle(exchange, new AccessDeniedException("denied")).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("event=scope_denied ").contains("method=POST").doesNotContain(TOKEN);
    }
}
