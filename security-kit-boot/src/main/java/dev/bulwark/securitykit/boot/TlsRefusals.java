package dev.bulwark.securitykit.boot;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.RefusalReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HandshakeFailureListener} of every context {@link WorkloadTls} makes: logs each refused
 * peer as {@code event=tls.refused reason=<code> peer=<spiffe id or ->} at INFO and counts it as
 * {@code bulwark.tls.handshake.failures{reason}} in every registry it is bound to.
 */
public final class TlsRefusals implements HandshakeFailureListener, MeterBinder {

    static final String METER = "bulwark.tls.handshake.failures";

    private static final Logger log = LoggerFactory.getLogger(TlsRefusals.class);

    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<RefusalReason, AtomicLong> counts = new ConcurrentHashMap<>();

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        // every reason shows from the start, at 0, so that a rate over it is defined
        for (RefusalReason reason : RefusalReason.values()) {
            counter(registry, reason);
        }
    }

    @Override
    public void refused(RefusalReason reason, @Nullable String peerSpiffeId) {
        log.info("event=tls.refused reason={} peer={}", reason.code(), peerSpiffeId == null ? "-" : peerSpiffeId);
        counts.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        for (MeterRegistry registry : registries) {
            counter(registry, reason).increment();
        }
    }

    /** How many peers were refused for {@code reason} since start-up. */
    public long count(RefusalReason reason) {
        AtomicLong count = counts.get(reason);
        return count == null ? 0 : count.get();
    }

    private static Counter counter(MeterRegistry registry, RefusalReason reason) {
        return Counter.builder(METER)
                .description("TLS handshakes refused by this workload, by reason")
                .tag("reason", reason.code())
                .register(registry);
    }
}
