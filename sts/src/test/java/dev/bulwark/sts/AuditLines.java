package dev.bulwark.sts;

import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** Captures the lines of the audit logger {@code bulwark.audit} while a test runs. */
final class AuditLines implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("bulwark.audit");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    AuditLines() {
        appender.start();
        logger.addAppender(appender);
    }

    /** Every captured line so far, formatted. */
    List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The captured lines that start with {@code event=<name> }. */
    List<String> events(String name) {
        return lines().stream().filter(l -> l.startsWith("event=" + name + " ")).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
