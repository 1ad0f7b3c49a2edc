package dev.bulwark.identity.jwt;

/**
 * Rejected input: a JWT-SVID that does not validate, or a request the issuer will not sign. The
 * message says {@code value: X (expected: Y)} about the part at fault and never contains the token
 * or key material.
 */
public final class JwtSvidRejectedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    JwtSvidRejectedException(String message) {
        super(message);
    }
}
