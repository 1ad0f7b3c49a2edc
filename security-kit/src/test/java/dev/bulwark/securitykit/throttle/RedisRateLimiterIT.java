package dev.bulwark.securitykit.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Needs a Redis at 127.0.0.1:6379 (skipped, saying so, when none listens). */
class RedisRateLimiterIT {

    static final URI REDIS = URI.create("redis://127.0.0.1:6379");

    @BeforeAll
    static void redisIsUp() {
        assumeTrue(listening(), "needs Redis at 127.0.0.1:6379 (nothing listens there): skipped");
    }

    static boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void twoLimitersOnOneRedisShareTheQuota() {
        String prefix = "bulwark-test:" + UUID.randomUUID() + ":";
        LimitSet limits = LimitSet.parse("3/PT1M");
        try (RedisRateLimiter a = limiter(prefix); RedisRateLimiter b = limiter(prefix)) {
            assertThat(a.tryConsume("k", limits).allowed()).isTrue();
            assertThat(b.tryConsume("k", limits).allowed()).isTrue();
            ThrottleDecision third = a.tryConsume("k", limits);
            assertThat(third.allowed()).isTrue();
            assertThat(third.remaining()).isZero();
            ThrottleDecision fourth = b.tryConsume("k", limits);
            assertThat(fourth.outcome()).isEqualTo(ThrottleDecision.Outcome.THROTTLED);
            assertThat(fourth.retryAfter()).isPositive();
            assertThat(a.tryConsume("other", limits).allowed()).isTrue();
        }
    }

    @Test
    void redisLostMidRunWhenFailureModeClosedThenUnavailableAndWhenOpenThenLocal() throws Exception {
        String prefix = "bulwark-test:" + UUID.randomUUID() + ":";
        LimitSet limits = LimitSet.parse("100/PT1M");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (TcpRelay relay = new TcpRelay("127.0.0.1", 6379);
                RedisRateLimiter closed = RedisRateLimiter.create(URI.create("redis://127.0.0.1:" + relay.port()), prefix,
                        Duration.ofMillis(500), FailureMode.CLOSED, RateLimiter.local(), new ThrottleMetrics(meters, "t"));
                RedisRateLimiter open = RedisRateLimiter.create(URI.create("redis://127.0.0.1:" + relay.port()), prefix,
                        Duration.ofMillis(500), FailureMode.OPEN, RateLimiter.local(), new ThrottleMetrics(meters, "t"))) {
            assertThat(closed.tryConsume("k", limits).allowed()).isTrue();
            assertThat(open.tryConsume("k", limits).remaining()).isEqualTo(98); // shared: one bucket in Redis

            relay.close();
            long start = System.nanoTime();
            ThrottleDecision refused = closed.tryConsume("k", limits);
            ThrottleDecision local = open.tryConsume("k", limits);

            assertThat(refused.outcome()).isEqualTo(ThrottleDecision.Outcome.UNAVAILABLE);
            assertThat(local.allowed()).isTrue();
            assertThat(local.remaining()).as("a fresh local bucket").isEqualTo(99);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("fails fast").isLessThan(Duration.ofSeconds(2));
            assertThat(meters.get("bulwark.throttle.backend.failures").counter().count()).isEqualTo(2);
        }
    }

    private static RedisRateLimiter limiter(String prefix) {
        return RedisRateLimiter.create(REDIS, prefix, Duration.ofSeconds(2), FailureMode.CLOSED, RateLimiter.local(),
                ThrottleMetrics.none("test"));
    }
}
