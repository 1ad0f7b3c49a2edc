package dev.bulwark.securitykit.tls;

import java.io.Serial;
import java.security.cert.CertificateException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by the SPIFFE trust manager when it refuses a peer; JSSE turns it into a fatal alert and an
 * {@link javax.net.ssl.SSLHandshakeException} whose cause chain holds this exception. The message
 * starts with the reason code, e.g. {@code spiffe_id_not_allowed: spiffe://ecomm.local/x}.
 */
public final class PeerRefusedException extends CertificateException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final RefusalReason reason;
    private final @Nullable String peerSpiffeId;

    PeerRefusedException(RefusalReason reason, @Nullable String peerSpiffeId, String detail, @Nullable Throwable cause) {
        super(reason.code() + ": " + detail, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.peerSpiffeId = peerSpiffeId;
    }

    public RefusalReason reason() {
        return reason;
    }

    public @Nullable String peerSpiffeId() {
        return peerSpiffeId;
    }
}
