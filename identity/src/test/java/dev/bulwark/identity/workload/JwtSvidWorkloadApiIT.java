package dev.bulwark.identity.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.identity.jwt.JwtSvidIssuer;
import dev.bulwark.identity.workload.grpc.JWTSVIDRequest;
import dev.bulwark.identity.workload.grpc.SpiffeWorkloadAPIGrpc;
import dev.bulwark.identity.workload.grpc.ValidateJWTSVIDRequest;
import dev.bulwark.identity.workload.grpc.ValidateJWTSVIDResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.MetadataUtils;
import io.spiffe.bundle.jwtbundle.JwtBundle;
import io.spiffe.bundle.jwtbundle.JwtBundleSet;
import io.spiffe.exception.JwtSvidException;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.svid.jwtsvid.JwtSvid;
import io.spiffe.workloadapi.DefaultWorkloadApiClient;
import io.spiffe.workloadapi.Watcher;
import io.spiffe.workloadapi.WorkloadApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JWT-SVID profile of a real Workload API server on a real Unix domain socket, called by
 * java-spiffe's {@link DefaultWorkloadApiClient} (and by a plain gRPC client where java-spiffe would
 * not send the bad request).
 */
class JwtSvidWorkloadApiIT {

    private static final String ORDER = "spiffe://ecomm.local/order";
    private static final String GATEWAY = "spiffe://ecomm.local/gateway";
    private static final TrustDomain ECOMM = TrustDomain.parse("ecomm.local");
    private static final long THIS_PROCESS = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private final WorkloadRegistry registry = new WorkloadRegistry();
    private final JwtSvidIssuer issuer = JwtSvidIssuer.create(dev.bulwark.identity.spiffe.TrustDomain.parse("ecomm.local"));
    private WorkloadApiServer server;
    private WorkloadApiClient client;
    private EventLoopGroup clientLoops;
    private ManagedChannel channel;

    @BeforeEach
    void startServer() throws Exception {
        server = WorkloadApiServer.start(dir.resolve("agent.sock"), registry, new SvidPublisher(), issuer);
        client = DefaultWorkloadApiClient.newClient(DefaultWorkloadApiClient.ClientOptions.builder()
                .spiffeSocketPath("unix:" + server.socket())
                .build());
        clientLoops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(server.socket().toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(clientLoops)
                .usePlaintext()
                .build();
    }

    @AfterEach
    void stopServer() throws Exception {
        client.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        clientLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void javaSpiffeClientFetchesJwtSvidThatVerifiesWithTheFetchedBundle() throws Exception {
        registry.register(THIS_PROCESS, ORDER);

        JwtSvid svid = client.fetchJwtSvid("spiffe://ecomm.local/sts");
        JwtBundleSet bundles = client.fetchJwtBundles();

        assertThat(svid.getSpiffeId().toString()).isEqualTo(ORDER);
        assertThat(svid.getAudience()).containsExactly("spiffe://ecomm.local/sts");
        assertThat(bundles.getBundles()).containsOnlyKeys(ECOMM);
        JwtSvid verified = JwtSvid.parseAndValidate(svid.getToken(), bundles, Set.of("spiffe://ecomm.local/sts"));
        assertThat(verified.getSpiffeId().toString()).isEqualTo(ORDER);
        assertThat(verified.getExpiry()).isAfter(new java.util.Date()).isBefore(
                new java.util.Date(System.currentTimeMillis() + JwtSvidIssuer.DEFAULT_LIFETIME.toMillis() + 1000));
    }

    @Test
    void validateJwtSvidAcceptsTheTokenForItsAudienceOnly() throws Exception {
        registry.register(THIS_PROCESS, ORDER);
        String token = client.fetchJwtSvid("sts").getToken();

        assertThat(client.validateJwtSvid(token, "sts").getSpiffeId().toString()).isEqualTo(ORDER);
        assertThatThrownBy(() -> client.validateJwtSvid(token, "gateway"))
                .isInstanceOf(JwtSvidException.class)
                .satisfies(e -> assertThat(statusOf(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .satisfies(e -> assertThat(statusOf(e).getDescription()).doesNotContain(token).doesNotContain(token.split("\\.")[1]));
    }

    @Test
    void validateJwtSvidReturnsTheClaims() throws Exception {
        registry.register(THIS_PROCESS, ORDER);
        String token = client.fetchJwtSvid("sts").getToken();

        ValidateJWTSVIDResponse response = workloadStub().validateJWTSVID(
                ValidateJWTSVIDRequest.newBuilder().setAudience("sts").setSvid(token).build());

        assertThat(response.getSpiffeId()).isEqualTo(ORDER);
        assertThat(response.getClaims().getFieldsOrThrow("sub").getStringValue()).isEqualTo(ORDER);
        assertThat(response.getClaims().getFieldsOrThrow("exp").getNumberValue()).isPositive();
        assertThat(response.getClaims().getFieldsMap()).containsKeys("aud", "iat");
    }

    @Test
    void requestWithoutAudienceIsRefusedWithInvalidArgument() {
        registry.register(THIS_PROCESS, ORDER);

        assertThatThrownBy(() -> workloadStub().fetchJWTSVID(JWTSVIDRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("audience");
                });
    }

    @Test
    void requestNamingAnotherSpiffeIdIsRefusedWithPermissionDenied() {
        registry.register(THIS_PROCESS, ORDER);

        assertThatThrownBy(() -> client.fetchJwtSvid(SpiffeId.parse(GATEWAY), "sts"))
                .isInstanceOf(JwtSvidException.class)
                .satisfies(e -> assertThat(statusOf(e).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void requestNamingItsOwnSpiffeIdIsServed() throws Exception {
        registry.register(THIS_PROCESS, ORDER);

        assertThat(client.fetchJwtSvid(SpiffeId.parse(ORDER), "sts").getSpiffeId().toString()).isEqualTo(ORDER);
    }

    @Test
    void unregisteredProcessGetsNoJwtSvid() {
        assertThatThrownBy(() -> workloadStub().fetchJWTSVID(JWTSVIDRequest.newBuilder().addAudience("sts").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void garbageTokenIsRefusedWithInvalidArgument() {
        registry.register(THIS_PROCESS, ORDER);

        assertThatThrownBy(() -> workloadStub().validateJWTSVID(
                ValidateJWTSVIDRequest.newBuilder().setAudience("sts").setSvid("eyJhbGciOiJub25lIn0.e30.").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).doesNotContain("eyJhbGciOiJub25lIn0");
                });
    }

    @Test
    void bundleWatcherReceivesTheNewKeyWhenTheIssuerRotates() throws Exception {
        registry.register(THIS_PROCESS, ORDER);
        String before = client.fetchJwtSvid("sts").getToken();
        AtomicReference<JwtBundleSet> latest = new AtomicReference<>();
        client.watchJwtBundles(new Watcher<>() {
            @Override
            public void onUpdate(JwtBundleSet update) {
                latest.set(update);
            }

            @Override
            public void onError(Throwable error) {
                // the assertions below fail with the last bundle seen
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> latest.get() != null);
        assertThat(authoritiesOf(latest.get())).hasSize(1);

        String newKid = issuer.rotate();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(authoritiesOf(latest.get())).hasSize(2).contains(newKid));
        String after = client.fetchJwtSvid("sts").getToken();
        assertThat(JwtSvid.parseAndValidate(before, latest.get(), Set.of("sts")).getSpiffeId().toString()).isEqualTo(ORDER);
        assertThat(JwtSvid.parseAndValidate(after, latest.get(), Set.of("sts")).getSpiffeId().toString()).isEqualTo(ORDER);
    }

    private static Set<String> authoritiesOf(JwtBundleSet set) throws Exception {
        JwtBundle bundle = set.getBundleForTrustDomain(ECOMM);
        return bundle.getJwtAuthorities().keySet();
    }

    private static Status statusOf(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof StatusRuntimeException status) {
                return status.getStatus();
            }
        }
        throw new AssertionError("no gRPC status in " + error);
    }

    private SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIBlockingStub workloadStub() {
        Metadata header = new Metadata();
        header.put(WorkloadCallGuard.SECURITY_HEADER, "true");
        return SpiffeWorkloadAPIGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }
}
