/**
 * A tamper-evident audit trail: security events appended to a file as a hash chain, so that an
 * edit, deletion, insertion or reordering of an entry is detected (integrity and non-repudiation,
 * <i>Microservices Security in Action</i> §1.3.2–1.3.3).
 */
@NullMarked
package dev.bulwark.securitykit.audit;

import org.jspecify.annotations.NullMarked;
