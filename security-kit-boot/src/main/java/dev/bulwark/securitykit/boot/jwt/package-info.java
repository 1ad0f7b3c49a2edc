/**
 * Spring Security glue for east/west JWTs (RFC 6750 bearer tokens verified by {@link
 * dev.bulwark.securitykit.jwt.EastWestVerifier}): when {@code bulwark.east-west.audience} is set, an
 * {@link dev.bulwark.securitykit.boot.jwt.EastWestResourceServer} to plug into {@code
 * http.oauth2ResourceServer(...)} and an {@link dev.bulwark.securitykit.boot.jwt.AuditLogFilter} that
 * logs every authenticated request to {@code bulwark.audit}.
 */
@NullMarked
package dev.bulwark.securitykit.boot.jwt;

import org.jspecify.annotations.NullMarked;
