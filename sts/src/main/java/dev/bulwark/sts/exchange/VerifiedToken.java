package dev.bulwark.sts.exchange;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A subject token or assertion whose signature, issuer and lifetime have been checked.
 *
 * @param act the token's RFC 8693 §4.1 {@code act} claim, if any
 * @param carried the claims its issuer is configured to have copied into issued tokens
 */
record VerifiedToken(String issuer, String subject, List<String> audiences, Set<String> scopes,
        @Nullable Map<String, Object> act, @Nullable String jti, Instant expiresAt, Map<String, Object> carried) {
}
