/** Scheduling a delivery in the logistics domain, directly or through its gateway. */
@NullMarked
package dev.bulwark.order.delivery;

import org.jspecify.annotations.NullMarked;
