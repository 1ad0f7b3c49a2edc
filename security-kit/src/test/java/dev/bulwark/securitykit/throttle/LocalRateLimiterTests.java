package dev.bulwark.securitykit.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LocalRateLimiterTests {

    final FakeClock clock = new FakeClock();
    final RateLimiter limiter = RateLimiter.local(clock, 1000);

    @Test
    void tryConsumeWhenLimitReachedThenThrottledUntilTheWindowPasses() {
        LimitSet limits = LimitSet.parse("2/PT1S");

        assertThat(limiter.tryConsume("a", limits).allowed()).isTrue();
        ThrottleDecision second = limiter.tryConsume("a", limits);
        assertThat(second.allowed()).isTrue();
        assertThat(second.remaining()).isZero();
        ThrottleDecision third = limiter.tryConsume("a", limits);
        assertThat(third.outcome()).isEqualTo(ThrottleDecision.Outcome.THROTTLED);
        assertThat(third.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));

        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryConsume("a", limits).allowed()).isTrue();
    }

    @Test
    void tryConsumeWhenBurstAllowedButHourlyQuotaSpentThenThrottledForLong() {
        LimitSet limits = LimitSet.parse("2/PT1S,3/PT1H");
        limiter.tryConsume("a", limits);
        limiter.tryConsume("a", limits);
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryConsume("a", limits).allowed()).isTrue();
        clock.advance(Duration.ofSeconds(1));

        ThrottleDecision decision = limiter.tryConsume("a", limits);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.retryAfter()).isGreaterThan(Duration.ofMinutes(10));
        assertThat(decision.limit()).isEqualTo(2);
    }

    @Test
    void tryConsumeWhenOtherKeyThenOwnBucket() {
        LimitSet limits = LimitSet.parse("1/PT1M");
        assertThat(limiter.tryConsume("a", limits).allowed()).isTrue();
        assertThat(limiter.tryConsume("a", limits).allowed()).isFalse();
        assertThat(limiter.tryConsume("b", limits).allowed()).isTrue();
    }

    @Test
    void tryConsumeWhenLimitsChangeThenFreshBucket() {
        assertThat(limiter.tryConsume("a", LimitSet.parse("1/PT1M")).allowed()).isTrue();
        assertThat(limiter.tryConsume("a", LimitSet.parse("1/PT1M")).allowed()).isFalse();
        assertThat(limiter.tryConsume("a", LimitSet.parse("2/PT1M")).allowed()).isTrue();
    }

    @Test
    void manyKeysWhenOverTheMaximumThenIdleBucketsAreForgottenButBusyOnesKept() {
        LocalRateLimiter small = new LocalRateLimiter(clock, 10);
        LimitSet limits = LimitSet.parse("1/PT1M");
        small.tryConsume("attacker", limits);
        clock.advance(Duration.ofSeconds(2));
        for (int i = 0; i < 20; i++) {
            small.tryConsume("idle-" + i, limits);
        }
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(small.tryConsume("attacker", limits).allowed()).isTrue(); // refilled anyway
        assertThat(small.tryConsume("attacker", limits).allowed()).isFalse();
        small.tryConsume("trigger", limits); // sweeps: the idle, full buckets go

        assertThat(small.size()).isLessThanOrEqualTo(10);
        assertThat(small.tryConsume("attacker", limits).allowed()).isFalse(); // still limited
    }

    @Test
    void headersWhenThrottledThenRetryAfterRoundedUp() {
        LimitSet limits = LimitSet.parse("1/PT10S");
        ThrottleDecision allowed = limiter.tryConsume("h", limits);
        ThrottleDecision refused = limiter.tryConsume("h", limits);

        assertThat(allowed.headers()).containsEntry("RateLimit-Limit", "1").containsEntry("RateLimit-Remaining", "0")
                .containsEntry("RateLimit-Reset", "10").doesNotContainKey("Retry-After");
        assertThat(refused.headers()).containsEntry("Retry-After", "10").containsEntry("RateLimit-Remaining", "0");
        assertThat(ThrottleDecision.ceilSeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(ThrottleDecision.ceilSeconds(Duration.ZERO)).isZero();
    }
}
