/**
 * Request throttling shared by the gateway and the STS: token-bucket limits parsed from configuration
 * ({@link dev.bulwark.securitykit.throttle.LimitSet}, e.g. {@code 10/PT1S,1000/PT1H}), a
 * {@link dev.bulwark.securitykit.throttle.RateLimiter} with a local (in-memory) and a shared Redis
 * backend ({@link dev.bulwark.securitykit.throttle.RedisRateLimiter}), the client address behind
 * trusted proxies ({@link dev.bulwark.securitykit.throttle.ClientIpResolver}, RFC 7239), and
 * {@link dev.bulwark.securitykit.throttle.Throttle}, which checks several rules for one request,
 * counts the decisions and logs every rejection as a security event.
 *
 * <p>Response headers follow draft-ietf-httpapi-ratelimit-headers ({@code RateLimit-Limit},
 * {@code RateLimit-Remaining}, {@code RateLimit-Reset}) and RFC 9110 §10.2.3 ({@code Retry-After}).
 */
@NullMarked
package dev.bulwark.securitykit.throttle;

import org.jspecify.annotations.NullMarked;
