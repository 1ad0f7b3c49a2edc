@NullMarked
package dev.bulwark.order.config;

import org.jspecify.annotations.NullMarked;
