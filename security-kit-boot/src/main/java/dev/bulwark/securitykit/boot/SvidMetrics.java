package dev.bulwark.securitykit.boot;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import dev.bulwark.securitykit.tls.SvidSupplier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code bulwark.svid.expiry.seconds}: seconds until the current SVID's leaf expires (negative once
 * it has); {@code bulwark.svid.rotations}: how often the supplier's SVID or bundle changed.
 */
final class SvidMetrics implements MeterBinder {

    static final String EXPIRY = "bulwark.svid.expiry.seconds";
    static final String ROTATIONS = "bulwark.svid.rotations";

    private final SvidSupplier svids;
    private final Clock clock;

    SvidMetrics(SvidSupplier svids, Clock clock) {
        this.svids = Objects.requireNonNull(svids, "svids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(EXPIRY, this, SvidMetrics::secondsToExpiry)
                .description("Seconds until this workload's X.509-SVID expires")
                .register(registry);
        Counter rotations = Counter.builder(ROTATIONS)
                .description("Changes of this workload's X.509-SVID or trust bundle")
                .register(registry);
        svids.addChangeListener(rotations::increment);
    }

    double secondsToExpiry() {
        return Duration.between(clock.instant(), svids.svid().leaf().getNotAfter().toInstant()).toSeconds();
    }
}
