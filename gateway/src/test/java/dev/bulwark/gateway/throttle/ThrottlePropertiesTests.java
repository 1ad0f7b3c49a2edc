package dev.bulwark.gateway.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.bulwark.securitykit.throttle.FailureMode;
import dev.bulwark.securitykit.throttle.LimitSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ThrottlePropertiesTests {

    static ThrottleProperties bind(Map<String, String> values) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        values.forEach((key, value) -> source.put("bulwark.gateway.throttle." + key, value));
        source.put("bulwark.gateway.other", "x");
        return new Binder(source).bindOrCreate("bulwark.gateway.throttle", ThrottleProperties.class);
    }

    @Test
    void defaultsAreGenerousAndLocal() {
        ThrottleProperties properties = bind(Map.of());

        assertThat(properties.enabled()).isTrue();
        assertThat(properties.backend()).isEqualTo(ThrottleProperties.Backend.LOCAL);
        assertThat(properties.perClient()).containsExactly("1500/PT1S");
        assertThat(properties.perUser()).containsExactly("1500/PT1S");
        assertThat(properties.perIp()).containsExactly("3000/PT1S");
        assertThat(properties.perOperation()).containsExactly("3000/PT1S");
        assertThat(properties.trustedProxies()).isEmpty();
        assertThat(properties.tierClaim()).isEqualTo("tier");
        assertThat(properties.redis().url()).isEqualTo(URI.create("redis://127.0.0.1:6379"));
        assertThat(properties.failureMode()).isEqualTo(FailureMode.OPEN);
        assertThat(properties.redis().timeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void commaSeparatedLimitsAndTiersBind() {
        ThrottleProperties properties = bind(Map.of("per-client", "10/PT1S,1000/PT1H", "tiers.gold.limits", "50/PT1S",
                "client-tiers.web", "gold", "global.orders", "300/PT1S", "per-operation", "", "backend", "redis",
                "redis.failure-mode", "closed"));

        assertThat(LimitSet.parse(properties.perClient())).hasToString("10/PT1S,1000/PT1H");
        assertThat(ThrottleProperties.limits(properties.perOperation())).isEmpty();
        assertThat(properties.tiers().get("gold").limits()).containsExactly("50/PT1S");
        assertThat(properties.global()).containsEntry("orders", List.of("300/PT1S"));
        assertThat(properties.failureMode()).isEqualTo(FailureMode.CLOSED);
    }

    @Test
    void everyProblemIsListedTogether() {
        assertThatThrownBy(() -> bind(Map.of("per-user", "1/never", "global.orders", "x", "tiers.gold.limits", "0/PT1S",
                "client-tiers.web", "silver", "redis.url", "http://127.0.0.1:6379", "redis.timeout", "PT0S")))
                .rootCause()
                .hasMessageContaining("per-user: limit period: 'never'")
                .hasMessageContaining("global.orders: limit: 'x'")
                .hasMessageContaining("tiers.gold.limits: limit capacity: 0")
                .hasMessageContaining("client-tiers.web: silver (expected: one of [gold])")
                .hasMessageContaining("redis.url: http://127.0.0.1:6379 (expected: redis://host:port")
                .hasMessageContaining("redis.timeout: PT0S (expected: a positive duration)");
    }
}
