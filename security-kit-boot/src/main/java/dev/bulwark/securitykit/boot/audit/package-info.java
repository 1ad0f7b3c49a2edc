/**
 * The tamper-evident copy of the audit trail: every message of the logger {@code bulwark.audit} also
 * appended to a {@link dev.bulwark.securitykit.audit.HashChainedLog} under {@code bulwark.home}.
 */
@NullMarked
package dev.bulwark.securitykit.boot.audit;

import org.jspecify.annotations.NullMarked;
