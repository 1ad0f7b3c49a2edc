package dev.bulwark.securitykit.tls;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** Remembers every refusal it is told about. */
final class RecordingListener implements HandshakeFailureListener {

    record Refusal(RefusalReason reason, @Nullable String peerSpiffeId) {
    }

    final List<Refusal> refusals = new CopyOnWriteArrayList<>();

    @Override
    public void refused(RefusalReason reason, @Nullable String peerSpiffeId) {
        refusals.add(new Refusal(reason, peerSpiffeId));
    }
}
