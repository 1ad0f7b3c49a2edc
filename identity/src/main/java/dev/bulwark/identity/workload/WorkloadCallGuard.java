package dev.bulwark.identity.workload;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two checks every Workload API call passes, in this order, before the service sees it:
 * <ol>
 *   <li>the {@code workload.spiffe.io: true} header (SPIFFE Workload API spec, security header: a request without
 *       it is refused with {@code InvalidArgument}; it shows the call was made on purpose by a
 *       workload, not forwarded by a confused proxy);</li>
 *   <li>attestation: the caller's process, from {@link PeerProcess#ATTRIBUTE}, must be registered
 *       in the {@link WorkloadRegistry}; otherwise {@code PermissionDenied}.</li>
 * </ol>
 * The attested caller travels to the service in {@link #CALLER}.
 */
final class WorkloadCallGuard implements ServerInterceptor {

    static final Metadata.Key<String> SECURITY_HEADER = Metadata.Key.of("workload.spiffe.io", Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<Caller> CALLER = Context.key("bulwark.workload.caller");

    private static final Logger log = LoggerFactory.getLogger(WorkloadCallGuard.class);

    private final WorkloadRegistry registry;

    WorkloadCallGuard(WorkloadRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!"true".equals(headers.get(SECURITY_HEADER))) {
            log.info("event=workload_api.request_refused reason=missing_security_header method={}", method);
            return refuse(call, Status.INVALID_ARGUMENT.withDescription(
                    "security header missing from request: workload.spiffe.io (expected: true)"));
        }
        @Nullable PeerProcess peer = call.getAttributes().get(PeerProcess.ATTRIBUTE);
        Optional<String> spiffeId = peer == null ? Optional.empty() : registry.lookup(peer.pid());
        if (peer == null || spiffeId.isEmpty()) {
            log.info("event=workload_api.attestation_denied pid={} uid={} method={}",
                    peer == null ? "unknown" : peer.pid(), peer == null ? "unknown" : peer.uid(), method);
            return refuse(call, Status.PERMISSION_DENIED.withDescription("no identity issued to this process"));
        }
        Context context = Context.current().withValue(CALLER, new Caller(peer.pid(), spiffeId.get()));
        return Contexts.interceptCall(context, call, headers, next);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() { };
    }

    /** An attested caller: its process and the SPIFFE ID registered for it. */
    record Caller(long pid, String spiffeId) {
    }
}
