@NullMarked
package dev.bulwark.delivery.delivery;

import org.jspecify.annotations.NullMarked;
