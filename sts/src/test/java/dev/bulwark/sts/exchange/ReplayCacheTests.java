package dev.bulwark.sts.exchange;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ReplayCacheTests {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static final class MovableClock extends Clock {
        Instant now = NOW;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void firstUseWhenSameIssuerAndJtiAgainThenInvalidGrant() {
        ReplayCache cache = new ReplayCache(Clock.fixed(NOW, ZoneOffset.UTC), 10);
        cache.firstUse("https://ecomm.test", "j1", NOW.plusSeconds(60));

        assertThatThrownBy(() -> cache.firstUse("https://ecomm.test", "j1", NOW.plusSeconds(60)))
                .isInstanceOf(GrantRefusedException.class).hasMessageContaining("invalid_grant")
                .hasMessageContaining("replayed_jti");
        assertThatCode(() -> cache.firstUse("https://other.test", "j1", NOW.plusSeconds(60)))
                .as("same jti from another issuer").doesNotThrowAnyException();
    }

    @Test
    void firstUseWhenFullOfLiveEntriesThenRefusesInsteadOfForgetting() {
        MovableClock clock = new MovableClock();
        ReplayCache cache = new ReplayCache(clock, 2);
        cache.firstUse("i", "a", NOW.plusSeconds(60));
        cache.firstUse("i", "b", NOW.plusSeconds(60));

        assertThatThrownBy(() -> cache.firstUse("i", "c", NOW.plusSeconds(60))).hasMessageContaining("replay_cache_full");

        clock.now = NOW.plus(Duration.ofMinutes(5));
        assertThatCode(() -> cache.firstUse("i", "c", clock.now.plusSeconds(60))).doesNotThrowAnyException();
    }
}
