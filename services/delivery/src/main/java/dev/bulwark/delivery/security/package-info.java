@NullMarked
package dev.bulwark.delivery.security;

import org.jspecify.annotations.NullMarked;
