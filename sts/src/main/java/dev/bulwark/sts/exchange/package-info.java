/**
 * Delegation grants at the token endpoint: token exchange (RFC 8693) and the JWT bearer grant
 * (RFC 7523 §2.1). A client trades a JWT from a trusted issuer (the subject token, or the assertion)
 * for a short-lived JWT addressed to one of its configured targets, carrying the subject's {@code sub},
 * narrowed scopes and an {@code act} claim (RFC 8693 §4.1) naming the client.
 */
@NullMarked
package dev.bulwark.sts.exchange;

import org.jspecify.annotations.NullMarked;
