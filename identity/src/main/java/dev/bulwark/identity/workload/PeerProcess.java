package dev.bulwark.identity.workload;

import io.grpc.Attributes;

/**
 * The process at the other end of a Unix domain socket, as the kernel reported it when it connected
 * ({@code SO_PEERCRED}): not something the caller says about itself.
 */
record PeerProcess(long pid, int uid) {

    /** Transport attribute set by {@link PeerCredentialsNegotiator} on every accepted connection. */
    static final Attributes.Key<PeerProcess> ATTRIBUTE = Attributes.Key.create("bulwark.workload.peer-process");
}
