package dev.bulwark.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComponentPlanTests {

    @Test
    void overriddenWhenSetNamesAPlannedKeyThenOnlyTheSetValueRemains() {
        List<String> merged = ComponentPlan.overridden(
                List.of("--server.port=1", "--server.ssl.client-auth=need"),
                List.of("--server.ssl.client-auth=want", "--extra=x"));

        assertThat(merged).containsExactly("--server.port=1", "--server.ssl.client-auth=want", "--extra=x");
    }
}
