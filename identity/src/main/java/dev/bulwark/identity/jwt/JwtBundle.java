package dev.bulwark.identity.jwt;

import dev.bulwark.identity.spiffe.TrustDomain;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;

/**
 * The JWT bundle of a trust domain: the public keys that sign its JWT-SVIDs, as a JWK set (RFC 7517;
 * SPIFFE Trust Domain and Bundle §4: each key with {@code use} = {@code jwt-svid} and its
 * {@code kid}). This is what the Workload API's {@code FetchJWTBundles} sends, keyed by
 * {@code trustDomain.id()}.
 *
 * @param trustDomain the trust domain the keys sign for
 * @param keyIds the {@code kid} of each key in the set
 * @param jwks the JWK set document, JSON, public keys only
 */
public record JwtBundle(TrustDomain trustDomain, Set<String> keyIds, String jwks) {

    public JwtBundle {
        Objects.requireNonNull(trustDomain, "trustDomain");
        keyIds = Set.copyOf(keyIds);
        Objects.requireNonNull(jwks, "jwks");
    }

    /** The JWK set document as UTF-8 bytes. */
    public byte[] jwksBytes() {
        return jwks.getBytes(StandardCharsets.UTF_8);
    }
}
