package dev.bulwark.securitykit.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class LimitSetTests {

    @Test
    void parseWhenBurstAndHourlyQuotaThenBothLimits() {
        LimitSet limits = LimitSet.parse("10/PT1S,1000/PT1H");

        assertThat(limits.limits()).containsExactly(new Limit(10, Duration.ofSeconds(1)), new Limit(1000, Duration.ofHours(1)));
        assertThat(limits.smallestCapacity()).isEqualTo(10);
        assertThat(limits.longestPeriod()).isEqualTo(Duration.ofHours(1));
        assertThat(limits).hasToString("10/PT1S,1000/PT1H");
    }

    @Test
    void parseWhenShortDurationsAndSpacesThenParsed() {
        assertThat(LimitSet.parse(" 5 / 2m , 7/1d, 3/30s ,1/1h").limits()).containsExactly(
                new Limit(5, Duration.ofMinutes(2)), new Limit(7, Duration.ofDays(1)),
                new Limit(3, Duration.ofSeconds(30)), new Limit(1, Duration.ofHours(1)));
        assertThat(Limit.parse("2/pt1s")).isEqualTo(new Limit(2, Duration.ofSeconds(1)));
    }

    @Test
    void parseWhenListElementsThenEachElementMaySplitFurther() {
        assertThat(LimitSet.parse(List.of("10/PT1S", "100/PT1M,1000/PT1H")).limits()).hasSize(3);
    }

    @Test
    void parseWhenSeveralBadEntriesThenAllAreNamedTogether() {
        assertThatIllegalArgumentException().isThrownBy(() -> LimitSet.parse("ten/PT1S,5/forever,0/PT1S,7"))
                .withMessageContaining("limit capacity: 'ten'")
                .withMessageContaining("limit period: 'forever'")
                .withMessageContaining("limit capacity: 0 (expected: at least 1)")
                .withMessageContaining("limit: '7' (expected: <capacity>/<period>");
    }

    @Test
    void parseWhenNegativeOrZeroPeriodThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Limit.parse("5/PT0S"))
                .withMessageContaining("expected: a positive duration");
        assertThatIllegalArgumentException().isThrownBy(() -> Limit.parse("5/-PT1S"));
    }

    @Test
    void parseWhenEmptyThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> LimitSet.parse(""));
        assertThatIllegalArgumentException().isThrownBy(() -> new LimitSet(List.of()))
                .withMessageContaining("expected: at least one");
    }

    @Test
    void failureModeWhenUnknownThenNamesTheValue() {
        assertThat(FailureMode.parse("Closed")).isEqualTo(FailureMode.CLOSED);
        assertThatIllegalArgumentException().isThrownBy(() -> FailureMode.parse("ajar"))
                .withMessage("failure-mode: 'ajar' (expected: open or closed)");
    }
}
