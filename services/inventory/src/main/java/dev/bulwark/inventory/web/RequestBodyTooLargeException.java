package dev.bulwark.inventory.web;

/** The request body is larger than {@code bulwark.inventory.max-body-size}; rendered as 413. */
public final class RequestBodyTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    RequestBodyTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
