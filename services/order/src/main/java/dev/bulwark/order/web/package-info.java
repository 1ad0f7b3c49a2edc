@NullMarked
package dev.bulwark.order.web;

import org.jspecify.annotations.NullMarked;
