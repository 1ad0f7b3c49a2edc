/**
 * The workload CA: a root, an intermediate it signs, and X.509-SVIDs (SPIFFE X509-SVID spec) issued
 * from PKCS#10 CSRs, with intermediate and root rotation.
 */
@NullMarked
package dev.bulwark.identity.ca;

import org.jspecify.annotations.NullMarked;
