@NullMarked
package dev.bulwark.gateway.error;

import org.jspecify.annotations.NullMarked;
