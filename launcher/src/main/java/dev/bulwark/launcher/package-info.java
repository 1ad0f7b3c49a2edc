/** {@code ./bulwark up | down | status}: the local mode of Bulwark, one process per component. */
@NullMarked
package dev.bulwark.launcher;

import org.jspecify.annotations.NullMarked;
