package dev.bulwark.securitykit.boot.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.bulwark.securitykit.audit.HashChainedLog;

/** Appends each event's formatted message to the chain; {@code doAppend} is already synchronized. */
final class HashChainedAppender extends AppenderBase<ILoggingEvent> {

    static final String NAME = "bulwark-audit-chain";

    private final HashChainedLog log;

    HashChainedAppender(HashChainedLog log) {
        this.log = log;
        setName(NAME);
    }

    @Override
    protected void append(ILoggingEvent event) {
        log.append(event.getFormattedMessage());
    }

    @Override
    public void stop() {
        super.stop();
        log.close();
    }
}
