@NullMarked
package dev.bulwark.sts.token;

import org.jspecify.annotations.NullMarked;
