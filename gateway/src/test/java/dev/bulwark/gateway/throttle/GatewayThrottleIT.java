package dev.bulwark.gateway.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The throttle stage in real gateways (a fake STS for the keys, a counting upstream): each rule
 * trips at its number and recovers after its window, tiers, client addresses behind proxies, the
 * 429 response, and that a refused request never reaches the upstream.
 */
@ExtendWith(OutputCaptureExtension.class)
class GatewayThrottleIT {

    static ThrottleFixture fixture;
    static ThrottleFixture.Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ThrottleFixture();
        gateway = fixture.start(Map.of(
                // long windows where a test counts to the limit (a slow machine must not refill a token
                // mid-test); the 1/PT1S tier shows recovery after the window
                "per-client", "4/PT60S",
                "per-user", "3/PT60S",
                "tiers.gold.limits", "8/PT60S",
                "tiers.bronze.limits", "2/PT60S",
                "tiers.fast.limits", "1/PT1S",
                "client-tiers.gold-app", "gold"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    String token(String clientId) {
        return fixture.token(clientId, unique("user"), Map.of());
    }

    @Test
    void perClientLimitTripsAtItsNumberWithA429AndNeverReachesTheUpstream() {
        String client = unique("client");
        for (int i = 0; i < 4; i++) {
            assertThat(gateway.get(token(client)).statusCode()).as("request %d", i + 1).isEqualTo(200);
        }
        int hits = fixture.upstream.hits();
        String token = token(client);

        HttpResponse<String> refused = gateway.get(token);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 15L);
        assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue("4");
        assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(refused.headers().firstValue("RateLimit-Reset")).isPresent();
        assertThat(refused.body()).contains("\"status\":429").contains("Too Many Requests").doesNotContain(token)
                .doesNotContain(client);
        assertThat(fixture.upstream.hits()).as("a refused request never reaches the upstream").isEqualTo(hits);
    }

    @Test
    void limitRecoversAfterItsWindow() throws Exception {
        String client = unique("client");
        assertThat(gateway.get(fixture.token(client, unique("u"), Map.of("tier", "fast"))).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = gateway.get(fixture.token(client, unique("u"), Map.of("tier", "fast")));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");

        Thread.sleep(1000L * Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()));

        assertThat(gateway.get(fixture.token(client, unique("u"), Map.of("tier", "fast"))).statusCode()).isEqualTo(200);
    }

    @Test
    void perUserLimitTripsAtItsNumberWhateverTheClientAndIsAuditedWithoutTheSubjectOrToken(CapturedOutput output) {
        ListAppender<ILoggingEvent> audit = new ListAppender<>();
        audit.start();
        Logger auditLogger = (Logger) LoggerFactory.getLogger("bulwark.audit");
        auditLogger.addAppender(audit);
        try {
            String subject = unique("alice");
            for (int i = 0; i < 3; i++) {
                assertThat(gateway.get(fixture.token(unique("client"), subject, Map.of())).statusCode()).isEqualTo(200);
            }
            String token = fixture.token(unique("client"), subject, Map.of());

            assertThat(gateway.get(token).statusCode()).isEqualTo(429);
            assertThat(gateway.get(token).statusCode()).isEqualTo(429);
            assertThat(gateway.get(token).statusCode()).isEqualTo(429);

            String expected = "event=throttled component=gateway rule=per-user key=user:" + ThrottleRules.hash(subject);
            assertThat(output.getOut()).contains(expected).doesNotContain(token);
            assertThat(output.getOut().lines().filter(line -> line.contains("event=throttled") && line.contains(subject)))
                    .isEmpty();
            assertThat(audit.list).extracting(ILoggingEvent::getFormattedMessage)
                    .filteredOn(line -> line.startsWith(expected))
                    .as("one line for a burst of refusals: the rest are counted in the next line's suppressed=")
                    .hasSize(1);
            assertThat(audit.list).extracting(ILoggingEvent::getFormattedMessage)
                    .noneSatisfy(line -> assertThat(line).contains(subject))
                    .noneSatisfy(line -> assertThat(line).contains(token));
        } finally {
            auditLogger.detachAppender(audit);
        }
    }

    @Test
    void clientOfTheGoldTierGetsTheTierLimitInsteadOfPerClient() {
        for (int i = 0; i < 8; i++) {
            assertThat(gateway.get(token("gold-app")).statusCode()).as("request %d", i + 1).isEqualTo(200);
        }
        HttpResponse<String> refused = gateway.get(token("gold-app"));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue("8");
    }

    @Test
    void tierClaimInTheTokenSelectsTheTierAndAnUnknownTierFallsBackToPerClient() {
        String client = unique("client");
        assertThat(gateway.get(fixture.token(client, unique("u"), Map.of("tier", "bronze"))).statusCode()).isEqualTo(200);
        assertThat(gateway.get(fixture.token(client, unique("u"), Map.of("tier", "bronze"))).statusCode()).isEqualTo(200);
        assertThat(gateway.get(fixture.token(client, unique("u"), Map.of("tier", "bronze"))).statusCode()).isEqualTo(429);

        String other = unique("client");
        HttpResponse<String> platinum = gateway.get(fixture.token(other, unique("u"), Map.of("tier", "platinum")));
        assertThat(platinum.statusCode()).isEqualTo(200);
        assertThat(platinum.headers().firstValue("RateLimit-Limit")).hasValue("3"); // per-user 3 < per-client 4
    }

    @Test
    void allowedResponsesCarryTheRateLimitHeaders() {
        String client = unique("client");
        String subject = unique("u");
        HttpResponse<String> first = gateway.get(fixture.token(client, subject, Map.of()));
        HttpResponse<String> second = gateway.get(fixture.token(client, subject, Map.of()));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("RateLimit-Limit")).hasValue("3");
        assertThat(first.headers().firstValue("RateLimit-Remaining")).hasValue("2");
        assertThat(second.headers().firstValue("RateLimit-Remaining")).hasValue("1");
        assertThat(first.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void requestWithoutTokenIsRejectedByAuthenticationBeforeTheThrottle() {
        HttpResponse<String> response = gateway.send("GET", "/api/orders", "not-a-token");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("RateLimit-Limit")).isEmpty();
    }

    @Test
    void requestDeniedByTheScopeCheckSpendsNoThrottleToken() {
        String client = unique("client");
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> denied = gateway.send("POST", "/api/orders",
                    fixture.token(client, unique("u"), Map.of("scope", "orders:read")));
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.headers().firstValue("RateLimit-Limit")).isEmpty();
        }
        for (int i = 0; i < 4; i++) {
            assertThat(gateway.get(token(client)).statusCode()).as("request %d after the denials", i + 1).isEqualTo(200);
        }
    }

    @Test
    void decisionsAreCountedByRuleAndResult() {
        String client = unique("client");
        for (int i = 0; i < 5; i++) {
            gateway.get(token(client));
        }
        assertThat(gateway.metrics())
                .containsPattern("bulwark_throttle_decisions_total\\{component=\"gateway\",result=\"throttled\",rule=\"per-client\"} [1-9]")
                .containsPattern("bulwark_throttle_decisions_total\\{component=\"gateway\",result=\"allowed\",rule=\"global\"} [1-9]");
    }

    @Test
    void perOperationAndGlobalCeilingsHoldAcrossClients() {
        try (ThrottleFixture.Gateway ceilings = fixture.start(Map.of("per-operation", "3/PT30S", "global.orders", "5/PT30S"))) {
            int hits = fixture.upstream.hits();
            for (int i = 0; i < 3; i++) {
                assertThat(ceilings.get(token(unique("c"))).statusCode()).isEqualTo(200);
            }
            assertThat(ceilings.get(token(unique("c"))).statusCode()).as("4th GET: per-operation").isEqualTo(429);
            assertThat(ceilings.send("POST", "/api/orders", token(unique("c"))).statusCode()).isEqualTo(200);
            assertThat(ceilings.send("POST", "/api/orders", token(unique("c"))).statusCode()).isEqualTo(200);
            HttpResponse<String> overCeiling = ceilings.send("POST", "/api/orders", token(unique("c")));
            assertThat(overCeiling.statusCode()).as("6th request: the route's global ceiling").isEqualTo(429);
            assertThat(overCeiling.headers().firstValue("RateLimit-Limit")).hasValue("5");
            assertThat(fixture.upstream.hits() - hits).isEqualTo(5);
            assertThat(ceilings.metrics())
                    .contains("bulwark_throttle_decisions_total{component=\"gateway\",result=\"throttled\",rule=\"per-operation\"} 1.0")
                    .contains("bulwark_throttle_decisions_total{component=\"gateway\",result=\"throttled\",rule=\"global\"} 1.0");
        }
    }

    @Test
    void forgedForwardingHeadersFromAnUntrustedPeerDoNotResetThePerIpLimit() {
        try (ThrottleFixture.Gateway direct = fixture.start(Map.of("per-ip", "3/PT30S"))) {
            assertThat(direct.get(token(unique("c")), "X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(200);
            assertThat(direct.get(token(unique("c")), "X-Forwarded-For", "198.51.100.2").statusCode()).isEqualTo(200);
            assertThat(direct.get(token(unique("c")), "Forwarded", "for=198.51.100.3").statusCode()).isEqualTo(200);

            HttpResponse<String> refused = direct.get(token(unique("c")), "X-Forwarded-For", "198.51.100.4",
                    "Forwarded", "for=\"[2001:db8::4]\"");

            assertThat(refused.statusCode()).isEqualTo(429);
        }
    }

    @Test
    void trustedProxyIsHonouredAndAPrependedFakeHopChangesNothing() {
        try (ThrottleFixture.Gateway behindProxy = fixture.start(Map.of("per-ip", "2/PT30S",
                "trusted-proxies", "127.0.0.1,::1"))) {
            assertThat(behindProxy.get(token(unique("c")), "X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(200);
            assertThat(behindProxy.get(token(unique("c")), "X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(200);
            assertThat(behindProxy.get(token(unique("c")), "X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(429);
            assertThat(behindProxy.get(token(unique("c")), "X-Forwarded-For", "9.9.9.9, 198.51.100.1").statusCode())
                    .as("the client's own fake hop is left of its real address").isEqualTo(429);

            assertThat(behindProxy.get(token(unique("c")), "X-Forwarded-For", "198.51.100.2").statusCode()).isEqualTo(200);
            assertThat(behindProxy.get(token(unique("c")), "Forwarded", "for=198.51.100.3").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void disabledThrottleSendsNoRateLimitHeaders() {
        try (ThrottleFixture.Gateway off = fixture.start(Map.of("enabled", "false", "per-client", "1/PT1M"))) {
            String client = unique("c");
            assertThat(off.get(token(client)).statusCode()).isEqualTo(200);
            HttpResponse<String> second = off.get(token(client));
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(second.headers().firstValue("RateLimit-Limit")).isEmpty();
        }
    }

    @Test
    void wrongConfigurationFailsStartUpNamingEveryProblem() {
        assertThatThrownBy(() -> fixture.start(Map.of("per-client", "ten/PT1S", "client-tiers.web", "nope",
                "trusted-proxies", "proxy.example", "redis.failure-mode", "ajar")))
                .hasStackTraceContaining("per-client: limit capacity: 'ten'")
                .hasStackTraceContaining("client-tiers.web: nope (expected: one of [])")
                .hasStackTraceContaining("'proxy.example' (expected: an IP address or CIDR block")
                .hasStackTraceContaining("redis.failure-mode: 'ajar' (expected: open or closed)");
    }
}
