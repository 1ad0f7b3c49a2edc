@NullMarked
package dev.bulwark.inventory.config;

import org.jspecify.annotations.NullMarked;
