/** JSON Web Keys (RFC 7517) kept in files. */
@NullMarked
package dev.bulwark.securitykit.jose;

import org.jspecify.annotations.NullMarked;
