@NullMarked
package dev.bulwark.sts.refresh;

import org.jspecify.annotations.NullMarked;
