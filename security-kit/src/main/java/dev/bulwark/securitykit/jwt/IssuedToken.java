package dev.bulwark.securitykit.jwt;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A token an STS issued (RFC 8693 §2.2.1, RFC 6749 §5.1). {@link #toString()} leaves the token out.
 *
 * @param accessToken the token itself; never logged
 * @param issuedTokenType {@code issued_token_type} (RFC 8693), or {@code
 *     urn:ietf:params:oauth:token-type:access_token} when the response had none
 * @param scopes the granted scopes ({@code scope} of the response; the requested ones when absent)
 * @param expiresAt when it expires: the time of the response plus {@code expires_in}
 */
public record IssuedToken(String accessToken, String issuedTokenType, Set<String> scopes, Instant expiresAt) {

    public IssuedToken {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(issuedTokenType, "issuedTokenType");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "IssuedToken[issuedTokenType=" + issuedTokenType + ", scopes=" + scopes + ", expiresAt=" + expiresAt + "]";
    }
}
