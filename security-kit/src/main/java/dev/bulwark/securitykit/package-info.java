/**
 * What every Bulwark component shares: the local PKI of local mode, JWK files, and file helpers
 * that keep key material private.
 */
@NullMarked
package dev.bulwark.securitykit;

import org.jspecify.annotations.NullMarked;
