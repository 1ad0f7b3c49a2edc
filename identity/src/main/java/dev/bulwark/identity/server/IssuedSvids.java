package dev.bulwark.identity.server;

import dev.bulwark.identity.workload.SvidUpdate;
import dev.bulwark.identity.workload.X509SvidSource;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.security.auth.x500.X500Principal;

/**
 * Remembers every X.509-SVID the identity process handed out, by serial, so that the admin API can
 * revoke one by its serial number alone (and refuse a serial it never issued). It sits between the
 * CA-backed source and its subscribers: each SVID passes through here on its way to a workload.
 * Entries are dropped once their certificate expired: a revocation of an expired SVID is pointless.
 */
final class IssuedSvids implements X509SvidSource {

    /** One issued SVID: the names RFC 5280 revokes it by, its SPIFFE ID and expiry. */
    record Issued(BigInteger serial, X500Principal issuer, String spiffeId, Instant notAfter) {
    }

    private final X509SvidSource source;
    private final Clock clock;
    private final Consumer<Issued> onIssued;
    private final Map<BigInteger, Issued> bySerial = new ConcurrentHashMap<>();

    IssuedSvids(X509SvidSource source, Clock clock, Consumer<Issued> onIssued) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onIssued = Objects.requireNonNull(onIssued, "onIssued");
    }

    @Override
    public Subscription subscribe(String spiffeId, Consumer<SvidUpdate> listener) {
        Objects.requireNonNull(listener, "listener");
        return source.subscribe(spiffeId, update -> {
            record(update);
            listener.accept(update);
        });
    }

    /** The SVID with this serial, if this process issued it and it has not expired. */
    Optional<Issued> find(BigInteger serial) {
        return Optional.ofNullable(bySerial.get(serial)).filter(i -> i.notAfter().isAfter(clock.instant()));
    }

    /** The unexpired SVIDs {@code filter} accepts. */
    List<Issued> current(Predicate<Issued> filter) {
        Instant now = clock.instant();
        return bySerial.values().stream().filter(i -> i.notAfter().isAfter(now)).filter(filter).toList();
    }

    /** Forgets expired SVIDs. */
    void prune() {
        Instant now = clock.instant();
        bySerial.values().removeIf(i -> !i.notAfter().isAfter(now));
    }

    private void record(SvidUpdate update) {
        X509Certificate leaf = leafOf(update);
        Issued issued = new Issued(leaf.getSerialNumber(), leaf.getIssuerX500Principal(), update.spiffeId(),
                leaf.getNotAfter().toInstant());
        // several streams of one ID receive the same SVID: count it once
        if (bySerial.putIfAbsent(issued.serial(), issued) == null) {
            onIssued.accept(issued);
        }
    }

    static X509Certificate leafOf(SvidUpdate update) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(update.certificateChainDer()));
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot read the SVID just issued for " + update.spiffeId(), e);
        }
    }
}
