/** Stock reservation at the inventory service, with the token of the configured pattern. */
@NullMarked
package dev.bulwark.order.inventory;

import org.jspecify.annotations.NullMarked;
