package dev.bulwark.identity.jwt;

import dev.bulwark.identity.spiffe.SpiffeId;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A JWT-SVID (SPIFFE JWT-SVID spec), issued by or validated with a {@link JwtSvidIssuer}.
 *
 * @param spiffeId the {@code sub} claim
 * @param audience the {@code aud} claim, at least one value
 * @param expiresAt the {@code exp} claim
 * @param claims every claim of the payload as JSON values ({@code exp}, {@code iat} in seconds)
 * @param token the token, JWS compact serialization; a bearer credential, left out of {@link #toString()}
 */
public record JwtSvid(SpiffeId spiffeId, List<String> audience, Instant expiresAt, Map<String, Object> claims, String token) {

    public JwtSvid {
        Objects.requireNonNull(spiffeId, "spiffeId");
        audience = List.copyOf(audience);
        Objects.requireNonNull(expiresAt, "expiresAt");
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
        Objects.requireNonNull(token, "token");
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "JwtSvid[spiffeId=" + spiffeId + ", audience=" + audience + ", expiresAt=" + expiresAt + "]";
    }
}
