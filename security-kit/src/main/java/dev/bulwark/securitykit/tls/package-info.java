/**
 * Mutual TLS between workloads with SPIFFE X.509-SVIDs (SPIFFE X509-SVID §4–5): a key manager that
 * always presents the current SVID, a trust manager that validates peers against the current trust
 * bundle and authorizes their SPIFFE ID, and {@link dev.bulwark.securitykit.tls.SpiffeTls}, the
 * factory of JDK {@link javax.net.ssl.SSLContext}s built from them.
 */
@NullMarked
package dev.bulwark.securitykit.tls;

import org.jspecify.annotations.NullMarked;
