@NullMarked
package dev.bulwark.gateway.headers;

import org.jspecify.annotations.NullMarked;
