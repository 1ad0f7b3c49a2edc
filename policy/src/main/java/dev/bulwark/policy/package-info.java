/**
 * Fine-grained authorization for Bulwark: who may do what to which resource, decided outside the
 * code that serves the request.
 *
 * <p>{@link dev.bulwark.policy.PolicyEngine} is the one question every caller asks. Two answers exist:
 * {@link dev.bulwark.policy.CedarPolicyEngine}, the embedded Cedar engine (policies, schema and entities
 * from a directory, reloaded when they change, validated against the schema before they are used, with
 * the last good set kept when a change is broken), and {@link dev.bulwark.policy.OpaPolicyEngine}, an
 * adapter to an Open Policy Agent server's Data API ({@code POST /v1/data/<path>}). Every decision is
 * logged by {@link dev.bulwark.policy.DecisionLog} and counted; a failure is a decision
 * ({@link dev.bulwark.policy.PolicyDecision.Result#ERROR}) that callers must treat as a refusal.
 *
 * <p>Plain Java: the gateway and the order service wire it into Spring.
 */
@NullMarked
package dev.bulwark.policy;

import org.jspecify.annotations.NullMarked;
