/**
 * The SPIFFE Workload API from the workload's side: this process's X.509-SVID and trust bundle,
 * kept current by a stream from the local agent (Bulwark's identity process, or SPIRE's agent).
 */
@NullMarked
package dev.bulwark.securitykit.workload;

import org.jspecify.annotations.NullMarked;
