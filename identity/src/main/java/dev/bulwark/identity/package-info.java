/** The workload CA of Bulwark: SPIFFE X.509-SVIDs, trust bundles, revocation, the Workload API. */
@NullMarked
package dev.bulwark.identity;

import org.jspecify.annotations.NullMarked;
