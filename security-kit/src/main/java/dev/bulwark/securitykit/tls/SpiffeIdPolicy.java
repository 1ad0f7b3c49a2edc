package dev.bulwark.securitykit.tls;

import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which peer SPIFFE IDs (SPIFFE ID §2, {@code spiffe://<trust-domain>/<path>}) a TLS endpoint accepts:
 * a server, the callers it serves; a client, the server it expects.
 */
@FunctionalInterface
public interface SpiffeIdPolicy {

    /** Whether {@code spiffeId} (already known to be a {@code spiffe://} URI) is accepted. */
    boolean allows(String spiffeId);

    /** Accepts exactly these IDs, compared as strings after checking each is a SPIFFE ID. */
    static SpiffeIdPolicy oneOf(Collection<String> spiffeIds) {
        Set<String> allowed = Set.copyOf(Objects.requireNonNull(spiffeIds, "spiffeIds"));
        allowed.forEach(SpiffeIdPolicy::requireSpiffeId);
        return allowed::contains;
    }

    /** Accepts exactly these IDs. */
    static SpiffeIdPolicy oneOf(String... spiffeIds) {
        return oneOf(Set.of(spiffeIds));
    }

    /** Accepts the IDs {@code predicate} accepts. */
    static SpiffeIdPolicy matching(Predicate<String> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return predicate::test;
    }

    /** Accepts every ID of the trust domain {@code trustDomain}, e.g. {@code ecomm.local}. */
    static SpiffeIdPolicy anyIn(String trustDomain) {
        String prefix = "spiffe://" + Objects.requireNonNull(trustDomain, "trustDomain").toLowerCase(Locale.ROOT) + "/";
        return id -> id.startsWith(prefix);
    }

    private static void requireSpiffeId(String id) {
        URI uri;
        try {
            uri = new URI(id);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("spiffe id: " + id + " (expected: spiffe://<trust-domain>/<path>)", e);
        }
        if (!"spiffe".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawPath() == null
                || uri.getRawPath().length() < 2 || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("spiffe id: " + id + " (expected: spiffe://<trust-domain>/<path>)");
        }
    }
}
