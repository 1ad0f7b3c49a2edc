package dev.bulwark.identity.revocation;

import org.bouncycastle.asn1.x509.CRLReason;

/** CRL reason codes (RFC 5280 §5.3.1) that apply to workload certificates. */
public enum RevocationReason {
    UNSPECIFIED(CRLReason.unspecified),
    KEY_COMPROMISE(CRLReason.keyCompromise),
    CA_COMPROMISE(CRLReason.cACompromise),
    AFFILIATION_CHANGED(CRLReason.affiliationChanged),
    SUPERSEDED(CRLReason.superseded),
    CESSATION_OF_OPERATION(CRLReason.cessationOfOperation);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** The RFC 5280 reason code. */
    public int code() {
        return code;
    }
}
