package dev.bulwark.securitykit.throttle;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The result of all the rules of one request.
 *
 * @param decision the deciding rule's decision: the one that refused, or, when all allowed, the one
 *     with the fewest tokens left (its numbers are what the client should see)
 * @param rule the deciding rule's name, or {@code null} when no rule applied
 */
public record ThrottleResult(@Nullable ThrottleDecision decision, @Nullable String rule) {

    public static final ThrottleResult NONE = new ThrottleResult(null, null);

    public ThrottleResult {
        if ((decision == null) != (rule == null)) {
            throw new IllegalArgumentException("decision and rule: both or neither");
        }
    }

    public boolean allowed() {
        return decision == null || decision.allowed();
    }

    /** The headers to send (empty when no rule applied). */
    public Map<String, String> headers() {
        return decision == null ? Map.of() : decision.headers();
    }

    public ThrottleDecision.Outcome outcome() {
        return decision == null ? ThrottleDecision.Outcome.ALLOWED : Objects.requireNonNull(decision).outcome();
    }
}
