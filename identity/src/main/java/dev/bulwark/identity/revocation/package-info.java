/**
 * Revocation of X.509-SVIDs: a revocation store, CRLs (RFC 5280 §5) and an OCSP responder (RFC 6960)
 * signed by the intermediate that issued the certificate, served over HTTP.
 */
@NullMarked
package dev.bulwark.identity.revocation;

import org.jspecify.annotations.NullMarked;
