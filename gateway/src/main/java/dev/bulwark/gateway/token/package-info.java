@NullMarked
package dev.bulwark.gateway.token;

import org.jspecify.annotations.NullMarked;
