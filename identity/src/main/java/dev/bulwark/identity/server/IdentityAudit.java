package dev.bulwark.identity.server;

import java.nio.file.Path;

import dev.bulwark.securitykit.audit.HashChainedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity process's security events (certificate issued, revoked, CA rotations, admin refusals):
 * logged on {@code bulwark.audit} and appended to the hash chain {@code <home>/audit/identity.log}, which
 * {@code ./bulwark audit verify} checks. The identity process is not a Spring Boot application, so it
 * writes the chain itself instead of through security-kit-boot's Logback appender.
 */
final class IdentityAudit implements AutoCloseable {

    private static final Logger audit = LoggerFactory.getLogger("bulwark.audit");

    private final HashChainedLog chain;

    private IdentityAudit(HashChainedLog chain) {
        this.chain = chain;
    }

    /** Opens (or continues) the chain {@code <home>/audit/identity.log}. */
    static IdentityAudit open(Path home) {
        return new IdentityAudit(HashChainedLog.open(home.resolve("audit").resolve("identity.log")));
    }

    /** One event, {@code key=value} pairs starting with {@code event=<name>}; never a key or a secret. */
    void record(String event) {
        audit.info(event);
        try {
            chain.append(event);
        } catch (RuntimeException e) {
            // the event is in the log above; a full disk must not stop certificates from being issued
            LoggerFactory.getLogger(IdentityAudit.class).error("event=audit_chain_append_failed file={} reason={}",
                    chain.file(), e.toString());
        }
    }

    Path file() {
        return chain.file();
    }

    @Override
    public void close() {
        chain.close();
    }
}
