package dev.bulwark.sts.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bulwark.securitykit.throttle.ClientIpResolver;
import dev.bulwark.securitykit.throttle.LimitSet;
import dev.bulwark.securitykit.throttle.RateLimiter;
import dev.bulwark.securitykit.throttle.Throttle;
import dev.bulwark.securitykit.throttle.ThrottleMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class StsThrottleFilterTests {

    private final ManualTime time = new ManualTime();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Throttle throttle = new Throttle(RateLimiter.local(time, 1000), new ThrottleMetrics(meters, "sts"));
    private final Logger audit = (Logger) LoggerFactory.getLogger("bulwark.audit");
    private final ListAppender<ILoggingEvent> auditLines = new ListAppender<>();

    StsThrottleFilterTests() {
        auditLines.start();
        audit.addAppender(auditLines);
    }

    @AfterEach
    void tearDown() {
        audit.detachAppender(auditLines);
    }

    private StsThrottleFilter filter(ClientIpResolver ips, String perIp, String perClient) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return new StsThrottleFilter(throttle, ips,
                new OrRequestMatcher(paths.matcher("/oauth2/token"), paths.matcher("/oauth2/authorize")),
                LimitSet.parse(perIp), LimitSet.parse(perClient));
    }

    private static MockHttpServletRequest tokenRequest(String from, String clientId) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/token");
        request.setRemoteAddr(from);
        request.setContentType("application/x-www-form-urlencoded");
        request.addParameter("grant_type", "client_credentials");
        request.addHeader("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":secret").getBytes(StandardCharsets.UTF_8)));
        return request;
    }

    private record Outcome(MockHttpServletResponse response, boolean passed) {
        int status() {
            return response.getStatus();
        }
    }

    private static Outcome send(StsThrottleFilter filter, MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return new Outcome(response, chain.getRequest() != null);
    }

    @Test
    void perClientWhenLimitReachedThen429WithRetryAfterRateLimitHeadersAndProblemBody() throws Exception {
        StsThrottleFilter filter = filter(ClientIpResolver.direct(), "100/PT10S", "3/PT9S");
        for (int i = 0; i < 3; i++) {
            Outcome allowed = send(filter, tokenRequest("192.0.2.1", "web"));
            assertThat(allowed.passed()).isTrue();
            assertThat(allowed.response().getHeader("RateLimit-Limit")).isEqualTo("3");
            assertThat(allowed.response().getHeader("RateLimit-Remaining")).isEqualTo(String.valueOf(2 - i));
        }

        Outcome refused = send(filter, tokenRequest("192.0.2.1", "web"));

        assertThat(refused.passed()).as("never reaches client authentication").isFalse();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.response().getHeader("Retry-After")).isEqualTo("3");
        assertThat(refused.response().getHeader("RateLimit-Limit")).isEqualTo("3");
        assertThat(refused.response().getHeader("RateLimit-Remaining")).isEqualTo("0");
        assertThat(refused.response().getHeader("RateLimit-Reset")).isEqualTo("9");
        assertThat(refused.response().getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(refused.response().getContentType()).isEqualTo("application/problem+json");
        assertThat(refused.response().getContentAsString())
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429}");
        assertThat(meters.get("bulwark.throttle.decisions").tags("component", "sts", "rule", "per-client",
                "result", "throttled").counter().count()).isEqualTo(1);
        assertThat(auditLines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("event=throttled", "component=sts", "rule=per-client", "key=client:web");
    }

    @Test
    void perClientWhenRetryAfterHasPassedThenAllowedAgain() throws Exception {
        StsThrottleFilter filter = filter(ClientIpResolver.direct(), "100/PT10S", "3/PT9S");
        for (int i = 0; i < 3; i++) {
            send(filter, tokenRequest("192.0.2.1", "web"));
        }
        Outcome refused = send(filter, tokenRequest("192.0.2.1", "web"));
        assertThat(refused.status()).isEqualTo(429);

        time.advance(Duration.ofSeconds(Long.parseLong(refused.response().getHeader("Retry-After"))));
        assertThat(send(filter, tokenRequest("192.0.2.1", "web")).passed()).isTrue();
        assertThat(send(filter, tokenRequest("192.0.2.1", "web")).status()).isEqualTo(429);

        time.advance(Duration.ofSeconds(9));
        for (int i = 0; i < 3; i++) {
            assertThat(send(filter, tokenRequest("192.0.2.1", "web")).passed()).as("full bucket after the window").isTrue();
        }
    }

    @Test
    void perClientWhenOtherClientThenOwnBucket() throws Exception {
        StsThrottleFilter filter = filter(ClientIpResolver.direct(), "100/PT10S", "1/PT10S");
        assertThat(send(filter, tokenRequest("192.0.2.1", "web")).passed()).isTrue();
        assertThat(send(filter, tokenRequest("192.0.2.1", "web")).status()).isEqualTo(429);

        assertThat(send(filter, tokenRequest("192.0.2.1", "mobile")).passed()).isTrue();
    }

    @Test
    void perIpWhenLimitReachedThenEveryClientFromThatAddressIsRefused() throws Exception {
        StsThrottleFilter filter = filter(ClientIpResolver.direct(), "2/PT10S", "100/PT10S");
        assertThat(send(filter, tokenRequest("192.0.2.1", "a")).passed()).isTrue();
        assertThat(send(filter, tokenRequest("192.0.2.1", "b")).passed()).isTrue();

        Outcome refused = send(filter, tokenRequest("192.0.2.1", "c"));

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.response().getHeader("RateLimit-Limit")).isEqualTo("2");
        assertThat(send(filter, tokenRequest("192.0.2.2", "c")).passed()).as("another address").isTrue();
        time.advance(Duration.ofSeconds(5));
        assertThat(send(filter, tokenRequest("192.0.2.1", "c")).passed()).as("recovered").isTrue();
    }

    @Test
    void forgedForwardedHeadersFromAnUntrustedPeerDoNotResetThePerIpLimit() throws Exception {
        StsThrottleFilter filter = filter(ClientIpResolver.direct(), "2/PT10S", "100/PT10S");
        for (int i = 0; i < 2; i++) {
            MockHttpServletRequest request = tokenRequest("192.0.2.1", "web");
            request.addHeader("X-Forwarded-For", "198.51.100." + i);
            request.addHeader("Forwarded", "for=198.51.100." + i);
            assertThat(send(filter, request).passed()).isTrue();
        }

        MockHttpServletRequest forged = tokenRequest("192.0.2.1", "web");
        forged.addHeader("X-Forwarded-For", "203.0.113.99");
        forged.addHeader("Forwarded", "for=\"[2001:db8::1]\"");
        Outcome refused = send(filter, forged);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(auditLines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("rule=per-ip", "key=ip:192.0.2.1").doesNotContain("203.0.113.99");
    }

    @Test
    void trustedProxyWhenForwardingThenEachClientBehindItHasItsOwnBucket() throws Exception {
        StsThrottleFilter filter = filter(ClientIpResolver.trusting(java.util.List.of("10.0.0.0/8")), "1/PT10S",
                "100/PT10S");
        MockHttpServletRequest first = tokenRequest("10.0.0.7", "web");
        first.addHeader("X-Forwarded-For", "203.0.113.5");
        assertThat(send(filter, first).passed()).isTrue();

        MockHttpServletRequest prepended = tokenRequest("10.0.0.7", "web");
        prepended.addHeader("X-Forwarded-For", "198.51.100.1, 203.0.113.5");
        assertThat(send(filter, prepended).status()).as("a prepended fake hop is never read").isEqualTo(429);

        MockHttpServletRequest other = tokenRequest("10.0.0.7", "web");
        other.addHeader("X-Forwarded-For", "203.0.113.6");
        assertThat(send(filter, other).passed()).isTrue();
    }

    @Test
    void authorizeEndpointCountsTheClientIdOfTheQuery() throws Exception {
        StsThrottleFilter filter = filter(ClientIpResolver.direct(), "100/PT10S", "1/PT10S");
        MockHttpServletRequest authorize = new MockHttpServletRequest("GET", "/oauth2/authorize");
        authorize.setRemoteAddr("192.0.2.1");
        authorize.addParameter("client_id", "web");
        authorize.addParameter("response_type", "code");
        assertThat(send(filter, authorize).passed()).isTrue();

        assertThat(send(filter, tokenRequest("192.0.2.1", "web")).status()).isEqualTo(429);
    }

    @Test
    void otherEndpointsAreNotThrottled() throws Exception {
        StsThrottleFilter filter = filter(ClientIpResolver.direct(), "1/PT10S", "1/PT10S");
        for (String path : new String[] {"/oauth2/jwks", "/oauth2/introspect", "/oauth2/revoke", "/actuator/health"}) {
            for (int i = 0; i < 3; i++) {
                MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
                request.setRemoteAddr("192.0.2.1");
                Outcome outcome = send(filter, request);
                assertThat(outcome.passed()).as(path).isTrue();
                assertThat(outcome.response().getHeader("RateLimit-Limit")).isNull();
            }
        }
    }

    @Test
    void clientIdWithLineBreakCannotForgeAnAuditLine() throws Exception {
        StsThrottleFilter filter = filter(ClientIpResolver.direct(), "100/PT10S", "1/PT10S");
        send(filter, tokenRequest("192.0.2.1", "evil\nevent=token_issued sub=peter"));

        send(filter, tokenRequest("192.0.2.1", "evil\nevent=token_issued sub=peter"));

        assertThat(auditLines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .doesNotContain("\n").contains("key=client:evil?event?token_issued?sub?peter");
    }

    @Test
    void clientIdOfANonFormBodyIsNotRead() throws Exception {
        StsThrottleFilter filter = filter(ClientIpResolver.direct(), "100/PT10S", "1/PT10S");
        for (int i = 0; i < 3; i++) {
            MockHttpServletRequest json = new MockHttpServletRequest("POST", "/oauth2/token");
            json.setRemoteAddr("192.0.2.1");
            json.setContentType("application/json");
            json.addParameter("client_id", "web");
            assertThat(send(filter, json).passed()).isTrue();
        }
    }
}
