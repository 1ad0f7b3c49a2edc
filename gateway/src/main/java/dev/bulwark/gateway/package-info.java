@NullMarked
package dev.bulwark.gateway;

import org.jspecify.annotations.NullMarked;
