/** Token exchange (RFC 8693) of the caller's validated token for the upstream ({@code upstream-credential=token-exchange}). */
@NullMarked
package dev.bulwark.gateway.exchange;

import org.jspecify.annotations.NullMarked;
