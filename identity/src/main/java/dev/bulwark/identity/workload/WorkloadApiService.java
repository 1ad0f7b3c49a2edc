package dev.bulwark.identity.workload;

import com.google.protobuf.ByteString;
import dev.bulwark.identity.workload.grpc.JWTBundlesRequest;
import dev.bulwark.identity.workload.grpc.JWTBundlesResponse;
import dev.bulwark.identity.workload.grpc.JWTSVIDRequest;
import dev.bulwark.identity.workload.grpc.JWTSVIDResponse;
import dev.bulwark.identity.workload.grpc.SpiffeWorkloadAPIGrpc;
import dev.bulwark.identity.workload.grpc.ValidateJWTSVIDRequest;
import dev.bulwark.identity.workload.grpc.ValidateJWTSVIDResponse;
import dev.bulwark.identity.workload.grpc.X509BundlesRequest;
import dev.bulwark.identity.workload.grpc.X509BundlesResponse;
import dev.bulwark.identity.workload.grpc.X509SVID;
import dev.bulwark.identity.workload.grpc.X509SVIDRequest;
import dev.bulwark.identity.workload.grpc.X509SVIDResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code SpiffeWorkloadAPI} service. Calls arrive here already attested by
 * {@link WorkloadCallGuard}, with the caller in {@link WorkloadCallGuard#CALLER}; nothing in a
 * request can change which identity is served. Before each push on an open stream the registration
 * is checked again, so a process the launcher unregisters (or whose pid now belongs to another
 * process) stops receiving rotated SVIDs: its stream ends with {@code PermissionDenied}.
 */
final class WorkloadApiService extends SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase {

    private static final Logger log = LoggerFactory.getLogger(WorkloadApiService.class);

    private final X509SvidSource source;
    private final WorkloadRegistry registry;

    WorkloadApiService(X509SvidSource source, WorkloadRegistry registry) {
        this.source = source;
        this.registry = registry;
    }

    @Override
    public void fetchX509SVID(X509SVIDRequest request, StreamObserver<X509SVIDResponse> responses) {
        stream(responses, WorkloadApiService::x509SvidResponse, "x509_svid_sent");
    }

    @Override
    public void fetchX509Bundles(X509BundlesRequest request, StreamObserver<X509BundlesResponse> responses) {
        stream(responses, update -> X509BundlesResponse.newBuilder()
                .putBundles(update.trustDomainId(), ByteString.copyFrom(update.bundleDer()))
                .build(), "x509_bundles_sent");
    }

    @Override
    public void fetchJWTSVID(JWTSVIDRequest request, StreamObserver<JWTSVIDResponse> responses) {
        responses.onError(jwtProfileMissing());
    }

    @Override
    public void fetchJWTBundles(JWTBundlesRequest request, StreamObserver<JWTBundlesResponse> responses) {
        responses.onError(jwtProfileMissing());
    }

    @Override
    public void validateJWTSVID(ValidateJWTSVIDRequest request, StreamObserver<ValidateJWTSVIDResponse> responses) {
        responses.onError(jwtProfileMissing());
    }

    /**
     * Sends the caller's current SVID-derived message, then one more on every update, until the
     * caller cancels or the server stops.
     */
    private <R> void stream(StreamObserver<R> responses, Function<SvidUpdate, R> toResponse, String event) {
        WorkloadCallGuard.Caller caller = WorkloadCallGuard.CALLER.get();
        String spiffeId = caller.spiffeId();
        ServerCallStreamObserver<R> call = (ServerCallStreamObserver<R>) responses;
        Object sending = new Object();
        AtomicReference<X509SvidSource.@Nullable Subscription> subscription = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        Runnable unsubscribe = () -> {
            cancelled.set(true);
            X509SvidSource.Subscription current = subscription.getAndSet(null);
            if (current != null) {
                current.close();
            }
        };
        call.setOnCancelHandler(unsubscribe);
        subscription.set(source.subscribe(spiffeId, update -> {
            synchronized (sending) {
                if (cancelled.get()) {
                    return;
                }
                if (!registry.lookup(caller.pid()).equals(Optional.of(spiffeId))) {
                    log.info("event=workload_api.attestation_revoked pid={} spiffe_id={}", caller.pid(), spiffeId);
                    unsubscribe.run();
                    call.onError(Status.PERMISSION_DENIED.withDescription("no identity issued to this process")
                            .asRuntimeException());
                    return;
                }
                try {
                    call.onNext(toResponse.apply(update));
                } catch (RuntimeException e) {
                    // the stream closed under us (client gone, server stopping): stop feeding it
                    log.info("event=workload_api.stream_closed spiffe_id={} reason={}", spiffeId, e.toString());
                    unsubscribe.run();
                    return;
                }
            }
            log.info("event=workload_api.{} spiffe_id={}", event, spiffeId);
        }));
        if (cancelled.get()) {
            unsubscribe.run();
        }
    }

    private static X509SVIDResponse x509SvidResponse(SvidUpdate update) {
        return X509SVIDResponse.newBuilder()
                .addSvids(X509SVID.newBuilder()
                        .setSpiffeId(update.spiffeId())
                        .setX509Svid(ByteString.copyFrom(update.certificateChainDer()))
                        .setX509SvidKey(ByteString.copyFrom(update.privateKeyPkcs8Der()))
                        .setBundle(ByteString.copyFrom(update.bundleDer())))
                .build();
    }

    private static RuntimeException jwtProfileMissing() {
        return Status.UNIMPLEMENTED.withDescription("JWT-SVID profile: not served by Bulwark yet (X.509-SVID profile only)")
                .asRuntimeException();
    }
}
