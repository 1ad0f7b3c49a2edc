/**
 * Security events of the STS on the audit logger {@code bulwark.audit} (one {@code key=value} line per
 * event, chained into {@code <bulwark.home>/audit/bulwark-sts.log} by security-kit-boot): tokens issued
 * and revoked, client and user logins that succeeded or failed. Built on Spring Security's
 * authentication events, so every grant and client authentication method is covered without touching
 * the providers. Never a token, secret or password.
 */
@NullMarked
package dev.bulwark.sts.audit;

import org.jspecify.annotations.NullMarked;
