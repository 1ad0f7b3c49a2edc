package dev.bulwark.securitykit.throttle;

import java.util.Objects;

/**
 * One rule to check for a request.
 *
 * @param rule the rule's name for metrics and logs ({@code per-client}, {@code global})
 * @param key what the bucket belongs to ({@code client:web}, {@code ip:10.0.0.1}); it is logged
 *     when throttled, so it must never contain a token or secret
 * @param limits the rule's limits
 */
public record ThrottleCheck(String rule, String key, LimitSet limits) {

    public ThrottleCheck {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(limits, "limits");
    }
}
