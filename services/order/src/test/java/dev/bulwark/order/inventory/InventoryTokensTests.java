package dev.bulwark.order.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import dev.bulwark.order.config.OrderProperties.InventoryToken;
import dev.bulwark.order.downstream.Caller;
import dev.bulwark.order.downstream.DownstreamException;
import dev.bulwark.order.downstream.FakeSts;
import org.junit.jupiter.api.Test;

class InventoryTokensTests {

    static final Caller PETER = new Caller("peter", "user-context-jwt");

    final FakeSts sts = new FakeSts("sts");

    InventoryTokens tokens(InventoryToken pattern) {
        return new InventoryTokens(pattern, "inventory-service", sts, FakeSts.workload());
    }

    @Test
    void tokenForWhenExchangedThenExchangesTheUserContextJwtForTheInventory() {
        String token = tokens(InventoryToken.EXCHANGED).tokenFor(PETER);

        assertThat(token).isEqualTo("sts:exchanged(user-context-jwt)->inventory-service");
        assertThat(sts.calls()).containsExactly(
                new FakeSts.Call("exchange", "user-context-jwt", "inventory-service", Set.of("inventory:write")));
    }

    @Test
    void tokenForWhenSharedThenForwardsTheUserContextJwtWithoutCallingTheSts() {
        assertThat(tokens(InventoryToken.SHARED).tokenFor(PETER)).isEqualTo("user-context-jwt");
        assertThat(sts.calls()).isEmpty();
    }

    @Test
    void tokenForWhenSelfIssuedThenSignsForTheUserWithoutCallingTheSts() {
        assertThat(tokens(InventoryToken.SELF_ISSUED).tokenFor(PETER))
            .isEqualTo("self-issued(peter,inventory-service,inventory:write)");
        assertThat(sts.calls()).isEmpty();
    }

    @Test
    void tokenForWhenNestedThenSignsTheExchangedToken() {
        assertThat(tokens(InventoryToken.NESTED).tokenFor(PETER))
            .isEqualTo("nested(sts:exchanged(user-context-jwt)->inventory-service)");
        assertThat(sts.calls()).extracting(FakeSts.Call::audience).containsExactly("inventory-service");
    }

    @Test
    void tokenForWhenTheStsRefusesThenTheFailureNamesTheStsAndNoToken() {
        sts.failWith("invalid_grant");

        assertThatThrownBy(() -> tokens(InventoryToken.EXCHANGED).tokenFor(PETER))
            .isInstanceOf(DownstreamException.class)
            .hasMessage("component=sts step=exchange reason=invalid_grant")
            .hasMessageNotContaining("user-context-jwt");
    }

    @Test
    void patternValueIsThePropertyValue() {
        assertThat(InventoryToken.SELF_ISSUED.value()).isEqualTo("self-issued");
        assertThat(tokens(InventoryToken.NESTED).pattern()).isEqualTo(InventoryToken.NESTED);
    }
}
