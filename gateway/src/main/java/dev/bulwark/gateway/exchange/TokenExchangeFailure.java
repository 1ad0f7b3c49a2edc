package dev.bulwark.gateway.exchange;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Why a token exchange gave no token, as the gateway answers it: {@link Kind#REFUSED} (the STS said
 * {@code invalid_grant}: the caller's token is not acceptable there) → 401, {@link Kind#INSUFFICIENT_SCOPE}
 * ({@code invalid_scope}) → 403, anything else (STS unreachable, TLS refused, 5xx, a client or target
 * misconfiguration) → 502. The message never holds a token.
 */
public final class TokenExchangeFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** How the failure is answered. */
    public enum Kind {
        REFUSED, INSUFFICIENT_SCOPE, UNAVAILABLE;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final String error;

    public TokenExchangeFailure(Kind kind, String error, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.error = error;
    }

    /** From an STS answer: its HTTP status and RFC 6749 §5.2 {@code error} code (null when it had none). */
    public static TokenExchangeFailure fromSts(int status, @Nullable String error, @Nullable Throwable cause) {
        String code = error == null || error.isBlank() ? "none" : error;
        Kind kind = switch (code) {
            case "invalid_grant" -> Kind.REFUSED;
            case "invalid_scope" -> Kind.INSUFFICIENT_SCOPE;
            default -> Kind.UNAVAILABLE;
        };
        return new TokenExchangeFailure(kind, code, "token exchange refused: status=" + status + " error=" + code, cause);
    }

    /** The STS could not be asked (connect, TLS, timeout, unreadable answer). */
    public static TokenExchangeFailure unreachable(Throwable cause) {
        return new TokenExchangeFailure(Kind.UNAVAILABLE, "unreachable",
                "token exchange failed: STS unreachable (" + cause.getClass().getSimpleName() + ")", cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The STS's error code, or {@code unreachable}/{@code none}; safe to log. */
    public String error() {
        return error;
    }
}
