package dev.bulwark.gateway.token;

import java.util.Locale;

/** Why a request failed authentication; the {@code reason} tag of {@code bulwark.gateway.auth.failures}. */
public enum FailureReason {
    MISSING, MALFORMED, INVALID_SIGNATURE, EXPIRED, NOT_YET_VALID, INVALID_ISSUER, INVALID_AUDIENCE, INACTIVE,
    UNAVAILABLE, INVALID;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FailureReason fromTag(String tag) {
        for (FailureReason reason : values()) {
            if (reason.tag().equals(tag)) {
                return reason;
            }
        }
        return INVALID;
    }
}
