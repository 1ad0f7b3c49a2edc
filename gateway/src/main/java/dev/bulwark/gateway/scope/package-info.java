@NullMarked
package dev.bulwark.gateway.scope;

import org.jspecify.annotations.NullMarked;
