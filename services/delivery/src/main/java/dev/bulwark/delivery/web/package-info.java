@NullMarked
package dev.bulwark.delivery.web;

import org.jspecify.annotations.NullMarked;
