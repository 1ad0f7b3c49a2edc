package dev.bulwark.policy;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a {@link PolicyRequest}.
 *
 * @param decisionId a random UUID, logged with the decision and returned to the caller (e.g. as the
 *     {@code Bulwark-Decision-Id} header) so that a refusal can be found in the decision log
 * @param result allow, deny, or error (could not decide: refuse)
 * @param policyIds the policies that decided ({@code @id} annotations; for a Cedar deny, the forbid
 *     policies that matched, empty when no permit matched)
 * @param errors why the engine could not decide, or evaluation errors it skipped; never a token
 */
public record PolicyDecision(String decisionId, Result result, List<String> policyIds, List<String> errors) {

    /** Allow, deny, or could not decide. */
    public enum Result { ALLOW, DENY, ERROR }

    public PolicyDecision {
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(result, "result");
        policyIds = List.copyOf(policyIds);
        errors = List.copyOf(errors);
    }

    /** True only for {@link Result#ALLOW}. */
    public boolean allowed() {
        return result == Result.ALLOW;
    }
}
