package dev.bulwark.gateway.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class IntrospectionCacheTests {

    private static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return START.plusNanos(nanos.get());
        }
    };
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicReference<Introspection> answer = new AtomicReference<>(active(START.plusSeconds(3600)));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final IntrospectionCache cache = new IntrospectionCache(token -> {
        calls.incrementAndGet();
        return Mono.fromSupplier(answer::get);
    }, Duration.ofSeconds(10), ticker, clock, meters);

    @Test
    void introspectWhenCachedThenCountsHitAndMiss() {
        cache.introspect("t").block();
        cache.introspect("t").block();
        cache.introspect("t").block();
        advance(Duration.ofSeconds(11));
        cache.introspect("t").block();

        assertThat(meters.get("bulwark.gateway.introspection.cache").tag("result", "hit").counter().count()).isEqualTo(2);
        assertThat(meters.get("bulwark.gateway.introspection.cache").tag("result", "miss").counter().count()).isEqualTo(2);
    }

    @Test
    void introspectWhenWithinTtlThenEndpointCalledOnce() {
        assertThat(cache.introspect("t").block().active()).isTrue();
        advance(Duration.ofSeconds(9));
        assertThat(cache.introspect("t").block().active()).isTrue();
        assertThat(calls).hasValue(1);
    }

    @Test
    void introspectWhenRevokedThenInactiveOnceTtlPassed() {
        cache.introspect("t").block();
        answer.set(Introspection.INACTIVE);
        advance(Duration.ofSeconds(5));
        assertThat(cache.introspect("t").block().active()).isTrue();
        advance(Duration.ofSeconds(6));
        assertThat(cache.introspect("t").block().active()).isFalse();
        assertThat(calls).hasValue(2);
    }

    @Test
    void introspectWhenTokenExpiresBeforeTtlThenNotServedPastExp() {
        answer.set(active(START.plusSeconds(3)));
        assertThat(cache.introspect("t").block().active()).isTrue();
        advance(Duration.ofSeconds(4));
        answer.set(active(START.plusSeconds(3)));
        assertThat(cache.introspect("t").block().active()).isFalse();
        assertThat(calls).hasValue(2);
    }

    @Test
    void introspectWhenInactiveThenCachedForTtl() {
        answer.set(Introspection.INACTIVE);
        cache.introspect("t").block();
        cache.introspect("t").block();
        assertThat(calls).hasValue(1);
        advance(Duration.ofSeconds(11));
        cache.introspect("t").block();
        assertThat(calls).hasValue(2);
    }

    @Test
    void introspectWhenEndpointFailsThenErrorNotCached() {
        IntrospectionCache failing = new IntrospectionCache(token -> {
            calls.incrementAndGet();
            return Mono.error(new IllegalStateException("down"));
        }, Duration.ofSeconds(10), ticker, clock);
        assertThatThrownBy(() -> failing.introspect("t").block()).isNotNull();
        assertThatThrownBy(() -> failing.introspect("t").block()).isNotNull();
        assertThat(calls).hasValue(2);
    }

    @Test
    void introspectWhenDifferentTokensThenSeparateEntries() {
        cache.introspect("a").block();
        cache.introspect("b").block();
        assertThat(calls).hasValue(2);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private static Introspection active(Instant exp) {
        return new Introspection(true, "peter", "partnerapp", List.of("orders:read"), exp, Map.of("active", true));
    }
}
