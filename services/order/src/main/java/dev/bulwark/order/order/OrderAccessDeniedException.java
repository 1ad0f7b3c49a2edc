package dev.bulwark.order.order;

/**
 * The policy refused an action on an order the caller may see (its owner asking to cancel it): 403. A
 * caller who may not see the order gets {@link OrderNotFoundException} instead.
 */
public final class OrderAccessDeniedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String decisionId;

    OrderAccessDeniedException(String decisionId) {
        super("denied by policy");
        this.decisionId = decisionId;
    }

    /** The id of the policy decision, as logged by the decision log. */
    public String decisionId() {
        return decisionId;
    }
}
