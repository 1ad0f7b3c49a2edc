package dev.bulwark.securitykit.audit;

import java.util.Objects;

/**
 * The result of {@link HashChainedLog#verify}: either intact with its number of entries, or the first
 * line (1-based) that breaks the chain and why.
 *
 * @param intact whether every line verifies
 * @param entries the number of entries that verified (all of them when intact)
 * @param badLine the first bad line, 1-based; 0 when intact
 * @param reason why that line is bad; empty when intact
 */
public record Verification(boolean intact, long entries, long badLine, String reason) {

    public Verification {
        Objects.requireNonNull(reason, "reason");
    }

    static Verification ok(long entries) {
        return new Verification(true, entries, 0, "");
    }

    static Verification tampered(long line, String reason) {
        return new Verification(false, line - 1, line, reason);
    }

    /** {@code ok N entries} or {@code TAMPERED at line L: reason}. */
    public String describe() {
        return intact ? "ok " + entries + (entries == 1 ? " entry" : " entries")
                : "TAMPERED at line " + badLine + ": " + reason;
    }
}
