package dev.bulwark.securitykit.boot.web;

/**
 * The request body is larger than the limit of a {@link BodySizeLimitFilter}; rendered as 413 (RFC 9110
 * §15.5.14) by {@link AbstractApiErrorHandler}.
 */
public final class RequestBodyTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    RequestBodyTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
        this.limit = limit;
    }

    /** The limit in bytes that the body went past. */
    public long limit() {
        return limit;
    }
}
