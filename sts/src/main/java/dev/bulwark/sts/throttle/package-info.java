/**
 * Throttling of the STS's grant endpoints ({@code /oauth2/token}, {@code /oauth2/authorize}) per client
 * IP and per claimed {@code client_id}, before Spring Security authenticates anything, so a flood or a
 * secret-guessing run costs neither a bcrypt check nor a database query. Built on security-kit's
 * throttle core ({@code dev.bulwark.securitykit.throttle}); settings {@code bulwark.sts.throttle.*}.
 */
@NullMarked
package dev.bulwark.sts.throttle;

import org.jspecify.annotations.NullMarked;
