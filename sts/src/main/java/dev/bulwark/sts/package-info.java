@NullMarked
package dev.bulwark.sts;

import org.jspecify.annotations.NullMarked;
