/** The JCA provider every component prefers. */
@NullMarked
package dev.bulwark.securitykit.crypto;

import org.jspecify.annotations.NullMarked;
