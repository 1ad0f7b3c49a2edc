@NullMarked
package dev.bulwark.sts.client;

import org.jspecify.annotations.NullMarked;
