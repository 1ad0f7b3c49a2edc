package dev.bulwark.securitykit.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.securitykit.tls.RefusalReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class TlsRefusalsTests {

    @Test
    void refusedWhenBoundThenCountedByReasonCode() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TlsRefusals refusals = new TlsRefusals();
        refusals.bindTo(registry);

        refusals.refused(RefusalReason.SPIFFE_ID_NOT_ALLOWED, "spiffe://ecomm.local/inventory");
        refusals.refused(RefusalReason.NO_CERTIFICATE, null);
        refusals.refused(RefusalReason.NO_CERTIFICATE, null);

        assertThat(registry.get("bulwark.tls.handshake.failures").tag("reason", "no_certificate").counter().count()).isEqualTo(2);
        assertThat(registry.get("bulwark.tls.handshake.failures").tag("reason", "spiffe_id_not_allowed").counter().count()).isEqualTo(1);
        assertThat(registry.get("bulwark.tls.handshake.failures").tag("reason", "revoked").counter().count()).isZero();
        assertThat(refusals.count(RefusalReason.NO_CERTIFICATE)).isEqualTo(2);
    }

    @Test
    void refusedWhenNoRegistryThenStillCounted() {
        TlsRefusals refusals = new TlsRefusals();

        refusals.refused(RefusalReason.EXPIRED, "spiffe://ecomm.local/gateway");

        assertThat(refusals.count(RefusalReason.EXPIRED)).isEqualTo(1);
        assertThat(refusals.count(RefusalReason.REVOKED)).isZero();
    }
}
