@NullMarked
package dev.bulwark.sts.password;

import org.jspecify.annotations.NullMarked;
