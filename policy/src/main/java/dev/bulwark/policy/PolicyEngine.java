package dev.bulwark.policy;

/**
 * Decides one {@link PolicyRequest}. {@link #decide} never throws: an engine that cannot decide (a
 * broken input, an unreachable server, a timeout) answers {@link PolicyDecision.Result#ERROR}, which a
 * caller treats like a denial (fail closed), typically as HTTP 503 rather than 403.
 */
public interface PolicyEngine extends AutoCloseable {

    /** The decision for {@code request}; logged and counted by the engine. */
    PolicyDecision decide(PolicyRequest request);

    /** The engine's name in logs and metric tags: {@code cedar} or {@code opa}. */
    String name();

    /** Stops background work (reload polling, HTTP client); decisions after close are not defined. */
    @Override
    void close();
}
