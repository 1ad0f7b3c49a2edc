package dev.bulwark.securitykit.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;

import dev.bulwark.securitykit.tls.TestCa;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class SvidMetricsTests {

    @Test
    void bindToWhenSvidChangesThenRotationCountedAndExpiryFollowsTheNewLeaf() {
        TestCa ca = TestCa.create("root");
        MutableSvidSupplier svids = ca.supplier("order");
        Clock clock = Clock.fixed(svids.svid().leaf().getNotAfter().toInstant().minusSeconds(120), ZoneOffset.UTC);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SvidMetrics(svids, clock).bindTo(registry);

        assertThat(registry.get("bulwark.svid.expiry.seconds").gauge().value()).isEqualTo(120);
        svids.updateSvid(ca.issueExpired("order"));

        assertThat(registry.get("bulwark.svid.rotations").counter().count()).isEqualTo(1);
        assertThat(registry.get("bulwark.svid.expiry.seconds").gauge().value()).isNegative();
    }
}
