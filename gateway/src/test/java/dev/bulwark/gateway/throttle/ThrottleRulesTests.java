package dev.bulwark.gateway.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.bulwark.securitykit.throttle.ThrottleCheck;
import org.junit.jupiter.api.Test;

class ThrottleRulesTests {

    final ThrottleRules rules = new ThrottleRules(ThrottlePropertiesTests.bind(Map.of(
            "tiers.gold.limits", "50/PT1S", "tiers.bronze.limits", "2/PT1S", "client-tiers.web", "gold",
            "global.orders", "300/PT1S")));

    @Test
    void checksWhenAuthenticatedThenMostSpecificFirstAndTheUserKeyIsADigest() {
        List<ThrottleCheck> checks = rules.checks(new Caller("alice", "app", null), "198.51.100.7", "orders", "GET");

        assertThat(checks).extracting(ThrottleCheck::rule)
                .containsExactly("per-ip", "per-client", "per-user", "per-operation", "global");
        assertThat(checks).extracting(ThrottleCheck::key).containsExactly("ip:198.51.100.7", "client:app",
                "user:" + ThrottleRules.hash("alice"), "op:orders:GET", "route:orders");
        assertThat(checks.get(2).key()).doesNotContain("alice");
        assertThat(checks.get(4).limits()).hasToString("300/PT1S");
    }

    @Test
    void checksWhenAnotherRouteThenTheDefaultCeiling() {
        List<ThrottleCheck> checks = rules.checks(null, "::1", "inventory", "POST");

        assertThat(checks).extracting(ThrottleCheck::rule).containsExactly("per-ip", "per-operation", "global");
        assertThat(checks.get(2).limits()).hasToString("3000/PT1S");
    }

    @Test
    void tierWhenClaimNamesAConfiguredTierThenItWinsOverTheClientsTier() {
        assertThat(rules.tier(new Caller("u", "web", "bronze"))).isEqualTo("bronze");
        assertThat(rules.tier(new Caller("u", "web", null))).isEqualTo("gold");
        assertThat(rules.tier(new Caller("u", "web", "platinum"))).as("unknown claim: the client's tier").isEqualTo("gold");
        assertThat(rules.tier(new Caller("u", "other", "platinum"))).isNull();

        ThrottleCheck perClient = rules.checks(new Caller("u", "web", null), "1.2.3.4", "orders", "GET").get(1);
        assertThat(perClient.limits()).hasToString("50/PT1S");
        assertThat(perClient.key()).isEqualTo("client:web tier:gold");
    }

    @Test
    void ruleSwitchedOffWhenEmpty() {
        ThrottleRules none = new ThrottleRules(ThrottlePropertiesTests.bind(Map.of("per-ip", "", "per-operation", "",
                "global.default", "", "per-user", "")));

        assertThat(none.checks(new Caller("u", "c", null), "1.2.3.4", "orders", "GET")).extracting(ThrottleCheck::rule)
                .containsExactly("per-client");
    }
}
