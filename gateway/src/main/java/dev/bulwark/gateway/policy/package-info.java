/**
 * The policy stage of the gateway pipeline (authenticate → scopes → <b>policy</b> → throttle → route):
 * each request under the route is asked of a {@link dev.bulwark.policy.PolicyEngine} (embedded Cedar by
 * default, or an OPA server); a denial is 403, an engine that cannot decide is 503, never an allow.
 */
@NullMarked
package dev.bulwark.gateway.policy;

import org.jspecify.annotations.NullMarked;
