package dev.bulwark.securitykit.jwt;

import java.util.Locale;
import java.util.Objects;

/**
 * A bearer token the callee refuses (RFC 6750 §3.1 {@code invalid_token}). {@link #reason()} is a
 * short stable code for logs and metrics; the message says what was wrong and what was expected, and
 * never contains the token.
 */
public final class TokenRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a token was refused; {@link #code()} is the value logged. */
    public enum Reason {
        /** Not a compact JWS, or a required claim or header is missing or of the wrong type. */
        MALFORMED,
        /** The JWS algorithm is not one accepted (ES256/ES384/ES512, RS256..., PS256...; never {@code none} or HMAC). */
        UNSUPPORTED_ALGORITHM,
        /** The signature does not verify with any key of the issuer or the signer's certificate. */
        BAD_SIGNATURE,
        /** The issuer is not a configured trusted issuer (nor the accepted shared issuer). */
        UNTRUSTED_ISSUER,
        /** {@code aud} does not contain this callee's audience. */
        WRONG_AUDIENCE,
        /** {@code exp} is in the past. */
        EXPIRED,
        /** {@code nbf} (or {@code iat}) is in the future. */
        NOT_YET_VALID,
        /** A self-issued token lives longer than allowed (60 s). */
        LIFETIME_TOO_LONG,
        /** The signer's SPIFFE ID is not a configured self-issued signer. */
        UNTRUSTED_SIGNER,
        /** The {@code x5c} chain does not validate against the bundle of the signer's trust domain, or its leaf's SPIFFE ID is not {@code iss}. */
        UNTRUSTED_CHAIN,
        /** The signer is not the mTLS peer of this request (or there is no mTLS peer). */
        SIGNER_NOT_PEER,
        /** In a nested JWT, the outer signer is not the client the inner token was issued to ({@code act.sub}). */
        NESTED_SIGNER_MISMATCH;

        /** The reason as logged: {@code bad_signature}, {@code signer_not_peer}, ... */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    /** A refusal for {@code reason}; {@code detail} must not contain the token. */
    public TokenRefusedException(Reason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason").code() + ": " + Objects.requireNonNull(detail, "detail"));
        this.reason = reason;
    }

    /** Why the token was refused. */
    public Reason reason() {
        return reason;
    }
}
