@NullMarked
package dev.bulwark.delivery.config;

import org.jspecify.annotations.NullMarked;
