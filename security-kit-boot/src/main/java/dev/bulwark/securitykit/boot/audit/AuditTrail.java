package dev.bulwark.securitykit.boot.audit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.bulwark.securitykit.audit.HashChainedLog;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Attaches a {@link HashChainedAppender} to the Logback logger {@code bulwark.audit} while the
 * application runs; the logger's other appenders (console, log file) and its additivity stay as
 * configured.
 *
 * <p>Several application contexts in one JVM (cached test contexts, a parent and child) that chain to
 * the same file share one appender, counted, so that an event is not chained twice and one file has one
 * writer.
 */
final class AuditTrail implements DisposableBean {

    static final String LOGGER = "bulwark.audit";

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(AuditTrail.class);

    /** Per file: the appender attached for it and how many live trails use it. Guarded by itself. */
    private static final Map<Path, Attached> ATTACHED = new HashMap<>();

    private record Attached(Logger logger, HashChainedAppender appender, int users) {
    }

    private final Path file;
    private final boolean active;

    AuditTrail(Path file) {
        this.file = file.toAbsolutePath().normalize();
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            log.warn("event=audit_chain_disabled reason=slf4j_is_not_bound_to_logback factory={}", factory.getClass().getName());
            this.active = false;
            return;
        }
        synchronized (ATTACHED) {
            Attached current = ATTACHED.get(this.file);
            if (current != null && current.appender().isStarted() && current.logger().isAttached(current.appender())) {
                ATTACHED.put(this.file, new Attached(current.logger(), current.appender(), current.users() + 1));
            } else {
                // none yet, or Logback was reset since (which stops and detaches every appender)
                HashChainedAppender chain = new HashChainedAppender(HashChainedLog.open(this.file));
                chain.setContext(context);
                chain.start();
                Logger logger = context.getLogger(LOGGER);
                logger.addAppender(chain);
                ATTACHED.put(this.file, new Attached(logger, chain, 1));
                log.info("event=audit_chain_started file={}", this.file);
            }
        }
        this.active = true;
    }

    /** The chained file. */
    Path file() {
        return file;
    }

    boolean attached() {
        synchronized (ATTACHED) {
            Attached current = ATTACHED.get(file);
            return active && current != null && current.logger().isAttached(current.appender());
        }
    }

    @Override
    public void destroy() {
        if (!active) {
            return;
        }
        synchronized (ATTACHED) {
            Attached current = ATTACHED.get(file);
            if (current == null) {
                return;
            }
            if (current.users() > 1) {
                ATTACHED.put(file, new Attached(current.logger(), current.appender(), current.users() - 1));
                return;
            }
            ATTACHED.remove(file);
            current.logger().detachAppender(current.appender());
            current.appender().stop();
        }
    }

    static @Nullable HashChainedAppender attachedFor(Path file) {
        synchronized (ATTACHED) {
            Attached current = ATTACHED.get(file.toAbsolutePath().normalize());
            return current == null ? null : current.appender();
        }
    }
}
