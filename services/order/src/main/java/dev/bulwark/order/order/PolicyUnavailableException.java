package dev.bulwark.order.order;

/** The policy engine gave no decision (fail closed): 503, never an allow. */
public final class PolicyUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    PolicyUnavailableException() {
        super("policy decision unavailable");
    }
}
