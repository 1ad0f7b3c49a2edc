/**
 * Spring Boot glue for SPIFFE mutual TLS (SPIFFE X509-SVID §4–5, Workload API §5.2): when {@code
 * bulwark.workload.socket} is set, the web server (Tomcat or Reactor Netty) serves the workload's
 * current X.509-SVID and authorizes callers by SPIFFE ID, {@link dev.bulwark.securitykit.boot.WorkloadTls}
 * makes client contexts that check the server's SPIFFE ID, and the SVID's expiry, rotations and
 * handshake refusals are metrics.
 */
@NullMarked
package dev.bulwark.securitykit.boot;

import org.jspecify.annotations.NullMarked;
