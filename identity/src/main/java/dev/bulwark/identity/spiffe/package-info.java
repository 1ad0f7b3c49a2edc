/** SPIFFE identity values (SPIFFE ID spec): {@link dev.bulwark.identity.spiffe.TrustDomain} and {@link dev.bulwark.identity.spiffe.SpiffeId}. */
@NullMarked
package dev.bulwark.identity.spiffe;

import org.jspecify.annotations.NullMarked;
