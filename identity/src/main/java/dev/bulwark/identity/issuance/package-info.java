/**
 * The glue between the workload CA and the Workload API: {@link dev.bulwark.identity.issuance.CaSvidSource}
 * makes a key and a CSR per SPIFFE ID, has the CA issue the X.509-SVID, publishes it, and renews it.
 */
@NullMarked
package dev.bulwark.identity.issuance;

import org.jspecify.annotations.NullMarked;
