/**
 * JWT-SVIDs (SPIFFE JWT-SVID spec) for the Workload API's JWT-SVID profile: one
 * {@link dev.bulwark.identity.jwt.JwtSvidIssuer} per trust domain signs them with an EC P-256 key
 * (ES256), publishes the public keys as the trust domain's JWT bundle (a JWK set, SPIFFE Trust
 * Domain and Bundle §4: {@code use} = {@code jwt-svid}, {@code kid} set), validates them, and rotates
 * its key with overlap.
 *
 * <p>Public surface: {@link dev.bulwark.identity.jwt.JwtSvidIssuer},
 * {@link dev.bulwark.identity.jwt.JwtSvid}, {@link dev.bulwark.identity.jwt.JwtBundle} and
 * {@link dev.bulwark.identity.jwt.JwtSvidRejectedException} (rejected input).
 */
@NullMarked
package dev.bulwark.identity.jwt;

import org.jspecify.annotations.NullMarked;
