/**
 * RFC 8705 mutual-TLS client authentication ({@code tls_client_auth}, §2.1.2 with the
 * {@code tls_client_auth_san_uri} variant): a workload authenticates with its X.509-SVID, whose only
 * URI SAN is its registered SPIFFE ID; and certificate-bound access tokens (§3, {@code cnf.x5t#S256}).
 */
@NullMarked
package dev.bulwark.sts.mtls;

import org.jspecify.annotations.NullMarked;
