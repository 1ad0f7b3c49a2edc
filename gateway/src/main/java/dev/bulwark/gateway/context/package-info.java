@NullMarked
package dev.bulwark.gateway.context;

import org.jspecify.annotations.NullMarked;
