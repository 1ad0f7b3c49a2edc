package dev.bulwark.sts.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

class KeyRotationPolicyTests {

    private static final Duration PERIOD = Duration.ofDays(30);
    private static final Duration AHEAD = Duration.ofDays(2);
    private static final Duration MAX_TOKEN = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final KeyRotationPolicy policy = new KeyRotationPolicy(PERIOD, AHEAD, MAX_TOKEN);
    private final AtomicInteger counter = new AtomicInteger();
    private final Supplier<String> kids = () -> "k" + counter.incrementAndGet();

    @Test
    void planWhenNoKeysThenCreatesOneActiveNow() {
        KeyRotationPolicy.Plan plan = policy.plan(List.of(), T0, kids);

        assertThat(plan.create()).singleElement().satisfies(k -> {
            assertThat(k.activeFrom()).isEqualTo(T0);
            assertThat(k.activeUntil()).isEqualTo(T0.plus(PERIOD));
            assertThat(k.retireAt()).isEqualTo(T0.plus(PERIOD).plus(MAX_TOKEN));
        });
        assertThat(plan.delete()).isEmpty();
    }

    @Test
    void planWhenCurrentKeyFarFromEndThenNothingToDo() {
        List<KeyTimes> keys = policy.plan(List.of(), T0, kids).create();

        assertThat(policy.plan(keys, T0.plus(Duration.ofDays(27)), kids).isEmpty()).isTrue();
    }

    @Test
    void planWhenWithinPublishAheadThenCreatesSuccessorThatSignsOnlyLater() {
        List<KeyTimes> keys = new ArrayList<>(policy.plan(List.of(), T0, kids).create());
        Instant now = T0.plus(PERIOD).minus(AHEAD);

        KeyRotationPolicy.Plan plan = policy.plan(keys, now, kids);

        assertThat(plan.create()).singleElement().satisfies(next -> {
            assertThat(next.activeFrom()).isEqualTo(T0.plus(PERIOD));
            assertThat(next.createdAt()).isEqualTo(now);
        });
        keys.addAll(plan.create());
        assertThat(KeyRotationPolicy.published(keys, now)).extracting(KeyTimes::kid).containsExactly("k1", "k2");
        assertThat(KeyRotationPolicy.signingKey(keys, now)).map(KeyTimes::kid).hasValue("k1");
        assertThat(KeyRotationPolicy.signingKey(keys, T0.plus(PERIOD))).map(KeyTimes::kid).hasValue("k2");
        assertThat(policy.plan(keys, now.plusSeconds(60), kids).isEmpty()).isTrue();
    }

    @Test
    void publishedWhenOldKeyStoppedSigningThenStaysUntilItsTokensExpire() {
        List<KeyTimes> keys = new ArrayList<>(policy.plan(List.of(), T0, kids).create());
        keys.addAll(policy.plan(keys, T0.plus(PERIOD).minus(AHEAD), kids).create());
        Instant end = T0.plus(PERIOD);

        assertThat(KeyRotationPolicy.published(keys, end.plus(MAX_TOKEN).minusSeconds(1)))
                .extracting(KeyTimes::kid).containsExactly("k1", "k2");
        assertThat(KeyRotationPolicy.published(keys, end.plus(MAX_TOKEN))).extracting(KeyTimes::kid).containsExactly("k2");
        assertThat(policy.plan(keys, end.plus(MAX_TOKEN), kids).delete()).containsExactly("k1");
    }

    @Test
    void planWhenDownPastEveryKeyThenCreatesNewCurrentAndRetiresOld() {
        List<KeyTimes> keys = policy.plan(List.of(), T0, kids).create();
        Instant later = T0.plus(PERIOD.multipliedBy(3));

        KeyRotationPolicy.Plan plan = policy.plan(keys, later, kids);

        assertThat(plan.delete()).containsExactly("k1");
        assertThat(plan.create()).first().satisfies(k -> assertThat(k.activeFrom()).isEqualTo(later));
    }

    @Test
    void planWhenOnlyFutureKeyExistsThenNewCurrentEndsWhereItBegins() {
        Instant start = T0.plus(Duration.ofHours(1));
        List<KeyTimes> keys = List.of(new KeyTimes("future", T0, start, start.plus(PERIOD), start.plus(PERIOD).plus(MAX_TOKEN)));

        KeyRotationPolicy.Plan plan = policy.plan(keys, T0, kids);

        assertThat(plan.create()).singleElement().satisfies(k -> assertThat(k.activeUntil()).isEqualTo(start));
    }

    @Test
    void constructorWhenPublishAheadNotShorterThanPeriodThenRejected() {
        assertThatThrownBy(() -> new KeyRotationPolicy(PERIOD, PERIOD, MAX_TOKEN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("publishAhead");
    }
}
