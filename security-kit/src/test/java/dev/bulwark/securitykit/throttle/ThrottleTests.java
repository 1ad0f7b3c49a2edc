package dev.bulwark.securitykit.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ThrottleTests {

    final FakeClock clock = new FakeClock();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Throttle throttle = new Throttle(RateLimiter.local(clock, 1000), new ThrottleMetrics(meters, "test"));

    @Test
    void checkWhenAllAllowedThenTheRuleWithFewestTokensLeftIsReported() {
        ThrottleResult result = throttle.check(List.of(
                new ThrottleCheck("per-client", "client:a", LimitSet.parse("10/PT1S")),
                new ThrottleCheck("global", "route:orders", LimitSet.parse("3/PT1S"))));

        assertThat(result.allowed()).isTrue();
        assertThat(result.rule()).isEqualTo("global");
        assertThat(result.headers()).containsEntry("RateLimit-Limit", "3").containsEntry("RateLimit-Remaining", "2");
    }

    @Test
    void checkWhenARuleRefusesThenLaterRulesAreNotCharged() {
        List<ThrottleCheck> checks = List.of(
                new ThrottleCheck("per-client", "client:a", LimitSet.parse("1/PT1S")),
                new ThrottleCheck("global", "route:orders", LimitSet.parse("5/PT1S")));
        throttle.check(checks);

        ThrottleResult refused = throttle.check(checks);

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.rule()).isEqualTo("per-client");
        assertThat(refused.headers()).containsEntry("Retry-After", "1");
        ThrottleResult global = throttle.check(List.of(checks.get(1)));
        assertThat(global.headers()).containsEntry("RateLimit-Remaining", "3");
        assertThat(meters.get("bulwark.throttle.decisions").tags("component", "test", "rule", "per-client", "result", "throttled")
                .counter().count()).isEqualTo(1);
        assertThat(meters.get("bulwark.throttle.decisions").tags("rule", "global", "result", "allowed")
                .counter().count()).isEqualTo(2);
    }

    @Test
    void checkWhenSameKeyUnderTwoRulesThenTwoBuckets() {
        LimitSet one = LimitSet.parse("1/PT1S");
        assertThat(throttle.check(List.of(new ThrottleCheck("a", "k", one))).allowed()).isTrue();
        assertThat(throttle.check(List.of(new ThrottleCheck("b", "k", one))).allowed()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.check(List.of(new ThrottleCheck("a", "k", one))).allowed()).isTrue();
    }

    @Test
    void checkWhenNoRulesThenAllowedWithoutHeaders() {
        ThrottleResult result = throttle.check(List.of());
        assertThat(result.allowed()).isTrue();
        assertThat(result.headers()).isEmpty();
    }
}
