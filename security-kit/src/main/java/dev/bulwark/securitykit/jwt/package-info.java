/**
 * East/west JSON Web Tokens between workloads: {@link dev.bulwark.securitykit.jwt.TokenClient} obtains
 * tokens from a security token service (OAuth 2.0 Token Exchange, RFC 8693; JWT bearer grant, RFC 7523)
 * over mutual TLS (RFC 8705), {@link dev.bulwark.securitykit.jwt.WorkloadJwtSigner} signs self-issued
 * and nested JWTs (RFC 7519 §5.2) with the workload's X.509-SVID key, and {@link
 * dev.bulwark.securitykit.jwt.EastWestVerifier} verifies every one of these patterns on the callee.
 * Framework-free: no Spring here.
 */
@NullMarked
package dev.bulwark.securitykit.jwt;

import org.jspecify.annotations.NullMarked;
