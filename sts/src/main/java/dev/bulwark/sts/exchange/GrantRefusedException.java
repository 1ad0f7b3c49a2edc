package dev.bulwark.sts.exchange;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;

/**
 * A refused delegation grant: carries the RFC 6749 §5.2 / RFC 8693 §2.2.2 error code the client sees,
 * and a short reason ({@code expired}, {@code bad_signature}, ...) that is only logged. Neither
 * carries token content.
 */
final class GrantRefusedException extends OAuth2AuthenticationException {

    private static final long serialVersionUID = 1L;

    /** RFC 8707 §2 / RFC 8693 §2.2.2: the requested audience is not one the client may ask for. */
    static final String INVALID_TARGET = "invalid_target";

    private final String reason;

    GrantRefusedException(String errorCode, String reason) {
        super(new OAuth2Error(errorCode), errorCode + ": " + reason);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
