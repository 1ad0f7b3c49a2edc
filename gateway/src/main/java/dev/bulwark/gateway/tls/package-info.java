@NullMarked
package dev.bulwark.gateway.tls;

import org.jspecify.annotations.NullMarked;
