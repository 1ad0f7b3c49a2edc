@NullMarked
package dev.bulwark.order.security;

import org.jspecify.annotations.NullMarked;
