@NullMarked
package dev.bulwark.sts.config;

import org.jspecify.annotations.NullMarked;
