package dev.bulwark.securitykit.throttle;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the rules of one request in order and stops at the first that refuses. Every decision is
 * counted; refusals are logged as a security event ({@code event=throttled}) to
 * {@code bulwark.throttle} and {@code bulwark.audit}: the first of a rule and key, then at most one
 * line a second with {@code suppressed=<n>}, the refusals since the last line, so a flood cannot
 * turn into a flood of audit lines (the metric counts every one). Rules checked before a refusing one have
 * spent their token: a refused request still counts against its client, which is what a limit on
 * an abusive client should do.
 */
public final class Throttle implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("bulwark.throttle");
    private static final Logger AUDIT = LoggerFactory.getLogger("bulwark.audit");

    private static final long LOG_WINDOW_NANOS = Duration.ofSeconds(1).toNanos();
    private static final int MAX_LOG_WINDOWS = 10_000;

    private final RateLimiter limiter;
    private final ThrottleMetrics metrics;
    private final Map<String, LogWindow> logWindows = new ConcurrentHashMap<>();

    public Throttle(RateLimiter limiter, ThrottleMetrics metrics) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public RateLimiter limiter() {
        return limiter;
    }

    /** Checks {@code checks} in order; see the class comment. */
    public ThrottleResult check(List<ThrottleCheck> checks) {
        ThrottleDecision closest = null;
        String closestRule = null;
        for (ThrottleCheck check : checks) {
            ThrottleDecision decision = limiter.tryConsume(check.rule() + ':' + check.key(), check.limits());
            metrics.decision(check.rule(), decision.outcome());
            if (!decision.allowed()) {
                log(check, decision);
                return new ThrottleResult(decision, check.rule());
            }
            if (closest == null || decision.remaining() < closest.remaining()) {
                closest = decision;
                closestRule = check.rule();
            }
        }
        return closest == null ? ThrottleResult.NONE : new ThrottleResult(closest, closestRule);
    }

    private void log(ThrottleCheck check, ThrottleDecision decision) {
        String id = check.rule() + ':' + check.key();
        long now = System.nanoTime();
        LogWindow window = logWindows.get(id);
        if (window != null && now - window.start < LOG_WINDOW_NANOS) {
            window.suppressed.increment();
            return;
        }
        long suppressed = window == null ? 0 : window.suppressed.sum();
        if (logWindows.size() >= MAX_LOG_WINDOWS) {
            logWindows.clear(); // many keys at once: at worst a few more lines
        }
        logWindows.put(id, new LogWindow(now));
        String line = "event=throttled component=" + metrics.component() + " rule=" + check.rule() + " key="
                + check.key() + " outcome=" + decision.outcome().name().toLowerCase(Locale.ROOT)
                + " limits=" + check.limits() + " retry_after_s=" + decision.headers().get("Retry-After")
                + (suppressed > 0 ? " suppressed=" + suppressed : "");
        LOG.info(line);
        AUDIT.info(line);
    }

    @Override
    public void close() throws Exception {
        limiter.close();
    }

    private static final class LogWindow {
        final long start;
        final LongAdder suppressed = new LongAdder();

        LogWindow(long start) {
            this.start = start;
        }
    }
}
