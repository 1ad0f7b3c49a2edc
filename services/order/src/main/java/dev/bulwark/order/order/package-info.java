@NullMarked
package dev.bulwark.order.order;

import org.jspecify.annotations.NullMarked;
