package dev.bulwark.identity.revocation;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class InMemoryRevocationStore implements RevocationStore {

    private static final Logger log = LoggerFactory.getLogger(InMemoryRevocationStore.class);

    private record Key(X500Principal issuer, BigInteger serialNumber) {
    }

    private final ConcurrentMap<Key, Revocation> revocations = new ConcurrentHashMap<>();

    @Override
    public boolean revoke(Revocation revocation) {
        boolean added = add(revocation);
        if (added) {
            log.info("event=certificate.revoked issuer=\"{}\" serial={} reason={}", revocation.issuer().getName(),
                    revocation.serialNumber().toString(16), revocation.reason());
        }
        return added;
    }

    /** Adds without logging (a revocation read back from a file); false if it was already there. */
    boolean add(Revocation revocation) {
        Objects.requireNonNull(revocation, "revocation");
        return revocations.putIfAbsent(new Key(revocation.issuer(), revocation.serialNumber()), revocation) == null;
    }

    /** Every revocation held, oldest first. */
    List<Revocation> all() {
        return revocations.values().stream().sorted(Comparator.comparing(Revocation::revokedAt)).toList();
    }

    @Override
    public Optional<Revocation> find(X500Principal issuer, BigInteger serialNumber) {
        return Optional.ofNullable(revocations.get(new Key(issuer, serialNumber)));
    }

    @Override
    public List<Revocation> revokedBy(X500Principal issuer) {
        return revocations.values().stream()
                .filter(r -> r.issuer().equals(issuer))
                .sorted(Comparator.comparing(Revocation::revokedAt))
                .toList();
    }
}
