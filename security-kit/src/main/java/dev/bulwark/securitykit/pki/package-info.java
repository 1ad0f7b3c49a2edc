/** The local certificate authority of local mode (RFC 5280 certificates, PEM files). */
@NullMarked
package dev.bulwark.securitykit.pki;

import org.jspecify.annotations.NullMarked;
