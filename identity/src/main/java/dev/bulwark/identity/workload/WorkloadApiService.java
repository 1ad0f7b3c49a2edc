package dev.bulwark.identity.workload;

import com.google.protobuf.ByteString;
import dev.bulwark.identity.jwt.JwtBundle;
import dev.bulwark.identity.jwt.JwtSvid;
import dev.bulwark.identity.jwt.JwtSvidIssuer;
import dev.bulwark.identity.jwt.JwtSvidRejectedException;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.workload.grpc.JWTBundlesRequest;
import dev.bulwark.identity.workload.grpc.JWTBundlesResponse;
import dev.bulwark.identity.workload.grpc.JWTSVID;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code SpiffeWorkloadAPI} service. Calls arrive here already attested by
 * {@link WorkloadCallGuard}, with the caller in {@link WorkloadCallGuard#CALLER}; nothing in a
 * request can change which identity is served. Before each push on an open stream the registration
 * is checked again, so a process the launcher unregisters (or whose pid now belongs to another
 * process) stops receiving rotated SVIDs and bundles: its stream ends with {@code PermissionDenied}.
 *
 * <p>The JWT-SVID profile (Workload API §6) is served when a {@link JwtSvidIssuer} is given, and
 * answers {@code Unimplemented} otherwise. Rejections map to status codes here and only here:
 * a malformed request or an invalid token is {@code InvalidArgument}, an identity the caller does not
 * hold is {@code PermissionDenied}; no message contains a token.
 */
final class WorkloadApiService extends SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase {

    private static final Logger log = LoggerFactory.getLogger(WorkloadApiService.class);

    /** What one X.509 stream message carries: the caller's SVID and the federated bundles of that moment. */
    private record X509State(SvidUpdate svid, List<FederatedBundle> federated) {
    }

    private final X509SvidSource source;
    private final FederatedBundleSource federation;
    private final WorkloadRegistry registry;
    private final @Nullable JwtSvidIssuer jwt;

    WorkloadApiService(X509SvidSource source, FederatedBundleSource federation, WorkloadRegistry registry,
            @Nullable JwtSvidIssuer jwt) {
        this.source = source;
        this.federation = federation;
        this.registry = registry;
        this.jwt = jwt;
    }

    /** Workload API §5.2.1: the caller's SVID with its own bundle, and the federated bundles; again on every change of either. */
    @Override
    public void fetchX509SVID(X509SVIDRequest request, StreamObserver<X509SVIDResponse> responses) {
        stream(responses, this::subscribeX509, WorkloadApiService::x509SvidResponse, "x509_svid_sent");
    }

    /** Workload API §5.2.2: the own trust domain's bundle and every federated one, keyed by trust domain SPIFFE ID. */
    @Override
    public void fetchX509Bundles(X509BundlesRequest request, StreamObserver<X509BundlesResponse> responses) {
        stream(responses, this::subscribeX509, state -> {
            X509BundlesResponse.Builder response = X509BundlesResponse.newBuilder();
            for (FederatedBundle bundle : state.federated()) {
                response.putBundles(bundle.trustDomainId(), ByteString.copyFrom(bundle.bundleDer()));
            }
            // the own domain last: a federation entry can never stand in for it
            return response.putBundles(state.svid().trustDomainId(), ByteString.copyFrom(state.svid().bundleDer())).build();
        }, "x509_bundles_sent");
    }

    /**
     * Joins the SVID stream of {@code spiffeId} with the federated bundles: the listener gets a state
     * once the first SVID is there, then on each new SVID and each federation change, under one lock
     * so that it never sees the two out of order.
     */
    private X509SvidSource.Subscription subscribeX509(String spiffeId, Consumer<X509State> listener) {
        Object lock = new Object();
        AtomicReference<@Nullable SvidUpdate> svid = new AtomicReference<>();
        AtomicReference<List<FederatedBundle>> federated = new AtomicReference<>(List.of());
        X509SvidSource.Subscription bundles = federation.subscribe(current -> {
            synchronized (lock) {
                federated.set(List.copyOf(current));
                SvidUpdate now = svid.get();
                if (now != null) {
                    listener.accept(new X509State(now, federated.get()));
                }
            }
        });
        try {
            X509SvidSource.Subscription svids = source.subscribe(spiffeId, update -> {
                synchronized (lock) {
                    svid.set(update);
                    listener.accept(new X509State(update, federated.get()));
                }
            });
            return () -> {
                svids.close();
                bundles.close();
            };
        } catch (RuntimeException e) {
            bundles.close();
            throw e;
        }
    }

    /** Workload API §6.2.1: one JWT-SVID, for the caller's own identity, the only one it holds. */
    @Override
    public void fetchJWTSVID(JWTSVIDRequest request, StreamObserver<JWTSVIDResponse> responses) {
        JwtSvidIssuer issuer = jwt;
        if (issuer == null) {
            responses.onError(jwtProfileMissing());
            return;
        }
        WorkloadCallGuard.Caller caller = WorkloadCallGuard.CALLER.get();
        if (request.getAudienceCount() == 0) {
            log.info("event=workload_api.jwt_svid_refused reason=missing_audience pid={} spiffe_id={}", caller.pid(), caller.spiffeId());
            responses.onError(Status.INVALID_ARGUMENT.withDescription("audience: empty (expected: at least one value)")
                    .asRuntimeException());
            return;
        }
        Optional<SpiffeId> subject = jwtSubject(caller, issuer);
        boolean otherIdentity = !request.getSpiffeId().isEmpty() && !request.getSpiffeId().equals(caller.spiffeId());
        if (otherIdentity || subject.isEmpty()) {
            // the requested ID is the caller's input: not logged
            log.info("event=workload_api.jwt_svid_denied reason={} pid={} spiffe_id={}",
                    otherIdentity ? "other_spiffe_id" : "other_trust_domain", caller.pid(), caller.spiffeId());
            responses.onError(Status.PERMISSION_DENIED.withDescription("spiffe_id: not an identity of this process")
                    .asRuntimeException());
            return;
        }
        JwtSvid svid;
        try {
            svid = issuer.issue(subject.get(), request.getAudienceList());
        } catch (JwtSvidRejectedException e) {
            log.info("event=workload_api.jwt_svid_refused reason=invalid_audience pid={} spiffe_id={}", caller.pid(), caller.spiffeId());
            responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        responses.onNext(JWTSVIDResponse.newBuilder()
                .addSvids(JWTSVID.newBuilder().setSpiffeId(svid.spiffeId().toString()).setSvid(svid.token()))
                .build());
        responses.onCompleted();
    }

    /** Workload API §6.2.2: the JWK set of the trust domain, keyed by its SPIFFE ID, again on every change. */
    @Override
    public void fetchJWTBundles(JWTBundlesRequest request, StreamObserver<JWTBundlesResponse> responses) {
        JwtSvidIssuer issuer = jwt;
        if (issuer == null) {
            responses.onError(jwtProfileMissing());
            return;
        }
        BiFunction<String, Consumer<JwtBundle>, X509SvidSource.Subscription> subscribe =
                (spiffeId, listener) -> issuer.subscribe(listener)::close;
        stream(responses, subscribe, bundle -> JWTBundlesResponse.newBuilder()
                .putBundles(bundle.trustDomain().id().toString(), ByteString.copyFrom(bundle.jwksBytes()))
                .build(), "jwt_bundles_sent");
    }

    /** Workload API §6.2.3: validation against the bundle, as {@link JwtSvidIssuer#validate} describes. */
    @Override
    public void validateJWTSVID(ValidateJWTSVIDRequest request, StreamObserver<ValidateJWTSVIDResponse> responses) {
        JwtSvidIssuer issuer = jwt;
        if (issuer == null) {
            responses.onError(jwtProfileMissing());
            return;
        }
        WorkloadCallGuard.Caller caller = WorkloadCallGuard.CALLER.get();
        @Nullable String problem = null;
        if (request.getAudience().isEmpty()) {
            problem = "audience: empty (expected: the validator's audience)";
        } else if (request.getSvid().isEmpty()) {
            problem = "svid: empty (expected: a JWT-SVID)";
        }
        @Nullable JwtSvid svid = null;
        if (problem == null) {
            try {
                svid = issuer.validate(request.getSvid(), request.getAudience());
            } catch (JwtSvidRejectedException e) {
                problem = e.getMessage();
            }
        }
        if (svid == null) {
            log.info("event=workload_api.jwt_svid_invalid pid={} spiffe_id={} reason=\"{}\"", caller.pid(), caller.spiffeId(), problem);
            responses.onError(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
            return;
        }
        responses.onNext(ValidateJWTSVIDResponse.newBuilder()
                .setSpiffeId(svid.spiffeId().toString())
                .setClaims(ClaimsStruct.of(svid.claims()))
                .build());
        responses.onCompleted();
    }

    /**
     * Sends the caller's current message, then one more on every update, until the caller cancels
     * or the server stops.
     */
    private <T, R> void stream(StreamObserver<R> responses, BiFunction<String, Consumer<T>, X509SvidSource.Subscription> subscribe,
            Function<T, R> toResponse, String event) {
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
        subscription.set(subscribe.apply(spiffeId, update -> {
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

    /** The caller's SPIFFE ID if the issuer signs for its trust domain. */
    private static Optional<SpiffeId> jwtSubject(WorkloadCallGuard.Caller caller, JwtSvidIssuer issuer) {
        try {
            return Optional.of(SpiffeId.parse(caller.spiffeId())).filter(id -> id.memberOf(issuer.trustDomain()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static X509SVIDResponse x509SvidResponse(X509State state) {
        SvidUpdate update = state.svid();
        X509SVIDResponse.Builder response = X509SVIDResponse.newBuilder()
                .addSvids(X509SVID.newBuilder()
                        .setSpiffeId(update.spiffeId())
                        .setX509Svid(ByteString.copyFrom(update.certificateChainDer()))
                        .setX509SvidKey(ByteString.copyFrom(update.privateKeyPkcs8Der()))
                        .setBundle(ByteString.copyFrom(update.bundleDer())));
        for (FederatedBundle bundle : state.federated()) {
            if (!bundle.trustDomainId().equals(update.trustDomainId())) {
                response.putFederatedBundles(bundle.trustDomainId(), ByteString.copyFrom(bundle.bundleDer()));
            }
        }
        return response.build();
    }

    private static RuntimeException jwtProfileMissing() {
        return Status.UNIMPLEMENTED.withDescription("JWT-SVID profile: not served (the server was started without a JWT-SVID issuer)")
                .asRuntimeException();
    }
}
