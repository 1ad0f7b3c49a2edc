@NullMarked
package dev.bulwark.inventory.stock;

import org.jspecify.annotations.NullMarked;
