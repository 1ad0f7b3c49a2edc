package dev.bulwark.identity.ca;

/**
 * Rejected input: the CA will not issue for this CSR or identity. The message says
 * {@code value: X (expected: Y)} and never contains key material.
 */
public final class CsrRejectedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    CsrRejectedException(String message) {
        super(message);
    }

    CsrRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
