@NullMarked
package dev.bulwark.sts.key;

import org.jspecify.annotations.NullMarked;
