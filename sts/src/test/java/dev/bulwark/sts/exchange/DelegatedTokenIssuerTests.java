package dev.bulwark.sts.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DelegatedTokenIssuerTests {

    private static final String ORDER = "spiffe://ecomm.local/order";
    private static final String GATEWAY = "spiffe://logistics.local/gateway";

    @Test
    void actWhenSubjectHasNoActThenCallerOnly() {
        assertThat(DelegatedTokenIssuer.act(ORDER, null)).isEqualTo(Map.of("sub", ORDER));
    }

    @Test
    void actWhenSubjectHasActThenCallerOverIt() {
        assertThat(DelegatedTokenIssuer.act(GATEWAY, Map.of("sub", ORDER)))
                .isEqualTo(Map.of("sub", GATEWAY, "act", Map.of("sub", ORDER)));
    }

    @Test
    void actWhenSubjectsOutermostActorIsTheCallerThenKeptAsIs() {
        Map<String, Object> subjectAct = Map.of("sub", ORDER, "act", Map.of("sub", "spiffe://ecomm.local/gateway"));

        assertThat(DelegatedTokenIssuer.act(ORDER, subjectAct)).isSameAs(subjectAct);
    }
}
