/**
 * Throttling at the edge, after authentication and authorization and before routing: per client,
 * per user, per client address, per operation and a global ceiling per route, with limits chosen by
 * the client's tier. Built on {@link dev.bulwark.securitykit.throttle}.
 */
@NullMarked
package dev.bulwark.gateway.throttle;

import org.jspecify.annotations.NullMarked;
