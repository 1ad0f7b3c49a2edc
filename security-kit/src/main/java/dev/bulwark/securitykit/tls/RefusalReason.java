package dev.bulwark.securitykit.tls;

import java.util.Locale;

/** Why a TLS peer was refused; {@link #code()} is the stable value logged and counted. */
public enum RefusalReason {
    /** The peer sent no certificate. */
    NO_CERTIFICATE,
    /** The chain does not lead to a root of the current bundle (or is otherwise invalid under PKIX). */
    UNTRUSTED_CHAIN,
    /** A certificate of the chain is past its notAfter. */
    EXPIRED,
    /** A certificate of the chain is before its notBefore. */
    NOT_YET_VALID,
    /** The leaf has no SPIFFE ID: not exactly one URI SAN, or that URI is not {@code spiffe://} (X509-SVID §2). */
    NO_SPIFFE_ID,
    /** The peer's SPIFFE ID is valid but not one this side accepts. */
    SPIFFE_ID_NOT_ALLOWED,
    /** A certificate of the chain is revoked (OCSP or CRL said so); only with a {@link RevocationChecker}. */
    REVOKED,
    /**
     * Whether a certificate of the chain is revoked could not be learned within the bound (no OCSP
     * responder nor CRL answered validly, or the certificate names neither): fail closed. Only with a
     * {@link RevocationChecker}.
     */
    REVOCATION_UNKNOWN;

    /** The reason as logged: {@code no_certificate}, {@code untrusted_chain}, ... */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
