package dev.bulwark.sts.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ExchangePolicyTests {

    private final ExchangePolicy.Target inventory = new ExchangePolicy.Target("inventory", "inventory-service",
            List.of(ExchangePolicy.TargetScope.parse("inventory:write=orders:write"),
                    ExchangePolicy.TargetScope.parse(" inventory:read=orders:read"),
                    ExchangePolicy.TargetScope.parse("inventory:ping")));

    @Test
    void parseWhenRequirementGivenThenSplitsAtEquals() {
        assertThat(ExchangePolicy.TargetScope.parse("delivery:write=orders:write"))
                .isEqualTo(new ExchangePolicy.TargetScope("delivery:write", "orders:write"));
        assertThat(ExchangePolicy.TargetScope.parse("delivery:read").required()).isNull();
    }

    @Test
    void grantWhenNoScopeRequestedThenEveryScopeWhoseRequirementTheSubjectHolds() {
        assertThat(inventory.grant(null, Set.of("orders:write"))).containsExactly("inventory:write", "inventory:ping");
        assertThat(inventory.grant(null, Set.of("orders:read", "orders:write")))
                .containsExactly("inventory:write", "inventory:read", "inventory:ping");
    }

    @Test
    void grantWhenScopeRequestedThenOnlyThoseNeverMore() {
        assertThat(inventory.grant(Set.of("inventory:read"), Set.of("orders:read", "orders:write")))
                .containsExactly("inventory:read");
        assertThat(inventory.grant(Set.of("inventory:read", "admin"), Set.of("orders:write"))).isEmpty();
    }

    @Test
    void targetWhenAudienceUnknownThenNull() {
        ExchangePolicy policy = new ExchangePolicy("order-service", List.of(inventory));

        assertThat(policy.target("inventory-service")).isSameAs(inventory);
        assertThat(policy.target("payments-service")).isNull();
    }
}
