package dev.bulwark.identity.server;

/**
 * A request the admin or management API refuses: the HTTP status, a stable error code and a message
 * saying what was wrong ({@code value: X (expected: Y)}). Rendered in one place, {@link Exchanges#handle},
 * as {@code {"error":"...","message":"..."}}.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;

    ApiException(int status, String error, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }
}
