@NullMarked
package dev.bulwark.inventory.security;

import org.jspecify.annotations.NullMarked;
