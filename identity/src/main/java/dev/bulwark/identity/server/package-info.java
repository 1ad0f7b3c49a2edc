/**
 * The identity process: one plain Java main ({@link dev.bulwark.identity.server.IdentityServer}) that
 * runs the workload CA with its Workload API socket, revocation over HTTP (OCSP, CRL), an admin API
 * (HTTPS, mTLS, the admin SPIFFE ID only) and a management port (health, Prometheus metrics).
 */
@NullMarked
package dev.bulwark.identity.server;

import org.jspecify.annotations.NullMarked;
