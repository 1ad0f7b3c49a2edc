package dev.bulwark.securitykit.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The failure modes against a port where nothing listens; no Redis needed. */
class RedisRateLimiterTests {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final LimitSet limits = LimitSet.parse("2/PT1M");

    static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("redis://127.0.0.1:" + socket.getLocalPort());
        }
    }

    @Test
    void redisDownWhenFailureModeOpenThenLocalBucketsStillLimit() throws IOException {
        try (RedisRateLimiter limiter = RedisRateLimiter.create(closedPort(), "t:", Duration.ofMillis(300), FailureMode.OPEN,
                RateLimiter.local(), new ThrottleMetrics(meters, "test"))) {
            assertThat(limiter.tryConsume("k", limits).allowed()).isTrue();
            assertThat(limiter.tryConsume("k", limits).allowed()).isTrue();
            assertThat(limiter.tryConsume("k", limits).outcome()).isEqualTo(ThrottleDecision.Outcome.THROTTLED);
        }
        assertThat(meters.get("bulwark.throttle.backend.failures").tag("backend", "redis").counter().count()).isEqualTo(3);
    }

    @Test
    void redisDownWhenFailureModeClosedThenUnavailable() throws IOException {
        try (RedisRateLimiter limiter = RedisRateLimiter.create(closedPort(), "t:", Duration.ofMillis(300),
                FailureMode.CLOSED, RateLimiter.local(), new ThrottleMetrics(meters, "test"))) {
            ThrottleDecision decision = limiter.tryConsume("k", limits);
            assertThat(decision.outcome()).isEqualTo(ThrottleDecision.Outcome.UNAVAILABLE);
            assertThat(decision.headers()).containsEntry("Retry-After", "1");
        }
    }

    @Test
    void createWhenNotARedisUrlThenNamesIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> RedisRateLimiter.create(URI.create("http://x:1"), "t:",
                Duration.ofSeconds(1), FailureMode.OPEN, RateLimiter.local(), ThrottleMetrics.none("test")))
                .withMessageContaining("'http://x:1' (expected: redis://host:port");
    }
}
