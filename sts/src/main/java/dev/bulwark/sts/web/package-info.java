@NullMarked
package dev.bulwark.sts.web;

import org.jspecify.annotations.NullMarked;
