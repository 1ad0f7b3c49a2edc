package dev.bulwark.order.downstream;

import org.jspecify.annotations.Nullable;

/**
 * A downstream call (STS, inventory, delivery, logistics gateway) failed: refused, unreachable, timed out or
 * answered something unexpected. The order is not placed; the API answers 502 with a fixed body. The message
 * names the component, the step and the reason (an HTTP status or an OAuth error code), never a token or a
 * response body.
 */
public class DownstreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String component;
    private final String step;
    private final String reason;

    public DownstreamException(String component, String step, String reason, @Nullable Throwable cause) {
        super("component=" + component + " step=" + step + " reason=" + reason, cause);
        this.component = component;
        this.step = step;
        this.reason = reason;
    }

    public DownstreamException(String component, String step, String reason) {
        this(component, step, reason, null);
    }

    /** {@code sts}, {@code logistics-sts}, {@code inventory}, {@code delivery}, {@code logistics-gateway}. */
    public String component() {
        return component;
    }

    /** What was being done, e.g. {@code reserve}, {@code exchange}, {@code schedule}. */
    public String step() {
        return step;
    }

    /** Why it failed: {@code status_503}, {@code invalid_grant}, {@code timeout}, {@code io}, ... */
    public String reason() {
        return reason;
    }
}
