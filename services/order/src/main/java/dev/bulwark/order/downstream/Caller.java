package dev.bulwark.order.downstream;

import java.util.Objects;

/**
 * Who an order is placed for: the {@code sub} of the verified user-context JWT and that JWT's compact form
 * (the subject token of every exchange, or the token forwarded as is by the shared pattern). Never logged:
 * {@link #toString()} leaves the token out.
 *
 * @param subject the end user
 * @param userContextJwt the gateway's user-context JWT as received
 */
public record Caller(String subject, String userContextJwt) {

    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(userContextJwt, "userContextJwt");
    }

    @Override
    public String toString() {
        return "Caller[subject=" + subject + "]";
    }
}
