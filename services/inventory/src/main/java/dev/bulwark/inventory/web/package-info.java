@NullMarked
package dev.bulwark.inventory.web;

import org.jspecify.annotations.NullMarked;
