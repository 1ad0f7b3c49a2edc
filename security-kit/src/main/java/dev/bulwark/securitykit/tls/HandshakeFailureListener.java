package dev.bulwark.securitykit.tls;

import org.jspecify.annotations.Nullable;

/**
 * Told about every peer this side refuses during a TLS handshake, so that callers can count refusals
 * by reason. Called on the handshake thread; must not block or throw.
 */
@FunctionalInterface
public interface HandshakeFailureListener {

    /** A listener that does nothing. */
    HandshakeFailureListener NONE = (reason, peerSpiffeId) -> { };

    /**
     * @param reason why the peer was refused
     * @param peerSpiffeId the peer's SPIFFE ID when it was read before the refusal, else {@code null}
     */
    void refused(RefusalReason reason, @Nullable String peerSpiffeId);
}
