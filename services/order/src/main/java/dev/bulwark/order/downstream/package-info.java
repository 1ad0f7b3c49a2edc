/** Calls to other services: the caller, the errors, token sources and the mTLS JSON client they share. */
@NullMarked
package dev.bulwark.order.downstream;

import org.jspecify.annotations.NullMarked;
