package dev.bulwark.securitykit.jwt;

import java.util.Objects;

/**
 * A token request the STS refused or that failed on the way (RFC 6749 §5.2). The message names the
 * endpoint, the status and the OAuth error; it never contains a token.
 */
public final class TokenRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@link #error()} when the STS could not be reached (I/O failure, timeout, TLS refusal). */
    public static final String UNAVAILABLE = "temporarily_unavailable";

    /** {@link #error()} when the STS answered with something that is not a valid token response. */
    public static final String INVALID_RESPONSE = "invalid_response";

    private final int status;
    private final String error;

    /** A failure with HTTP {@code status} (0 when there was no response) and OAuth {@code error}. */
    public TokenRequestException(int status, String error, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.status = status;
        this.error = Objects.requireNonNull(error, "error");
    }

    /** A failure with HTTP {@code status} (0 when there was no response) and OAuth {@code error}. */
    public TokenRequestException(int status, String error, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.status = status;
        this.error = Objects.requireNonNull(error, "error");
    }

    /** The HTTP status of the STS's answer; 0 when there was none. */
    public int status() {
        return status;
    }

    /**
     * The OAuth error code ({@code invalid_grant}, {@code invalid_target}, {@code invalid_client}, ...),
     * {@link #UNAVAILABLE} or {@link #INVALID_RESPONSE}.
     */
    public String error() {
        return error;
    }
}
