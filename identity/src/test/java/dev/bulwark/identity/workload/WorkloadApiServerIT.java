package dev.bulwark.identity.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.identity.workload.grpc.JWTSVIDRequest;
import dev.bulwark.identity.workload.grpc.SpiffeWorkloadAPIGrpc;
import dev.bulwark.identity.workload.grpc.X509BundlesRequest;
import dev.bulwark.identity.workload.grpc.X509BundlesResponse;
import dev.bulwark.identity.workload.grpc.X509SVIDRequest;
import dev.bulwark.identity.workload.grpc.X509SVIDResponse;
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
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.workloadapi.DefaultX509Source;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Workload API server on a real Unix domain socket, called by java-spiffe's client (the one
 * Bulwark's services use) and by a plain gRPC client for the refusals.
 */
class WorkloadApiServerIT {

    private static final String ORDER = "spiffe://ecomm.local/order";
    private static final String GATEWAY = "spiffe://ecomm.local/gateway";
    private static final long THIS_PROCESS = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private final TestSvids trustDomain = TestSvids.newTrustDomain("ecomm.local");
    private final SvidPublisher svids = new SvidPublisher();
    private final WorkloadRegistry registry = new WorkloadRegistry();
    private WorkloadApiServer server;
    private EventLoopGroup clientLoops;
    private ManagedChannel channel;

    @BeforeEach
    void startServer() {
        server = WorkloadApiServer.start(dir.resolve("agent.sock"), registry, svids);
        clientLoops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(server.socket().toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(clientLoops)
                .usePlaintext()
                .build();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        clientLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void javaSpiffeClientReceivesSvidThenRotatedSvid() throws Exception {
        registry.register(THIS_PROCESS, ORDER);
        SvidUpdate first = trustDomain.issue(ORDER);
        svids.publish(first);

        try (DefaultX509Source source = DefaultX509Source.newSource(DefaultX509Source.X509SourceOptions.builder()
                .spiffeSocketPath("unix:" + server.socket())
                .initTimeout(Duration.ofSeconds(10))
                .build())) {
            assertThat(source.getX509Svid().getSpiffeId().toString()).isEqualTo(ORDER);
            assertThat(source.getX509Svid().getLeaf().getEncoded()).isEqualTo(first.certificateChainDer());
            X509Bundle bundle = source.getBundleForTrustDomain(TrustDomain.parse("ecomm.local"));
            assertThat(bundle.getX509Authorities()).containsExactly(trustDomain.root());

            SvidUpdate rotated = trustDomain.issue(ORDER);
            svids.publish(rotated);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(source.getX509Svid().getLeaf().getEncoded()).isEqualTo(rotated.certificateChainDer()));
            assertThat(source.getX509Svid().getPrivateKey().getEncoded()).isEqualTo(rotated.privateKeyPkcs8Der());
        }
    }

    @Test
    void callWithoutSecurityHeaderIsRefusedWithInvalidArgument() {
        registry.register(THIS_PROCESS, ORDER);
        svids.publish(trustDomain.issue(ORDER));

        Iterator<X509SVIDResponse> responses = SpiffeWorkloadAPIGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .fetchX509SVID(X509SVIDRequest.getDefaultInstance());

        assertThatThrownBy(responses::hasNext)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("workload.spiffe.io");
                });
    }

    @Test
    void unregisteredProcessIsDeniedAndReceivesNoSvid() {
        svids.publish(trustDomain.issue(ORDER));

        Iterator<X509SVIDResponse> responses = workloadStub().fetchX509SVID(X509SVIDRequest.getDefaultInstance());

        assertThatThrownBy(responses::hasNext)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).doesNotContain(ORDER);
                });
    }

    @Test
    void processUnregisteredByLauncherLosesAccess() {
        registry.register(THIS_PROCESS, ORDER);
        svids.publish(trustDomain.issue(ORDER));
        assertThat(workloadStub().fetchX509SVID(X509SVIDRequest.getDefaultInstance()).next().getSvids(0).getSpiffeId())
                .isEqualTo(ORDER);

        registry.unregister(THIS_PROCESS);

        assertThatThrownBy(() -> workloadStub().fetchX509SVID(X509SVIDRequest.getDefaultInstance()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void openStreamOfUnregisteredProcessGetsNoRotatedSvid() {
        registry.register(THIS_PROCESS, ORDER);
        svids.publish(trustDomain.issue(ORDER));
        Iterator<X509SVIDResponse> stream = workloadStub().fetchX509SVID(X509SVIDRequest.getDefaultInstance());
        assertThat(stream.next().getSvids(0).getSpiffeId()).isEqualTo(ORDER);

        registry.unregister(THIS_PROCESS);
        SvidUpdate rotated = trustDomain.issue(ORDER);
        svids.publish(rotated);

        assertThatThrownBy(stream::next)
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void workloadReceivesOnlyItsOwnSvidNotAnotherWorkloads() {
        registry.register(THIS_PROCESS, ORDER);
        svids.publish(trustDomain.issue(GATEWAY));
        SvidUpdate order = trustDomain.issue(ORDER);
        svids.publish(order);

        X509SVIDResponse response = workloadStub().fetchX509SVID(X509SVIDRequest.getDefaultInstance()).next();

        assertThat(response.getSvidsList()).singleElement().satisfies(svid -> {
            assertThat(svid.getSpiffeId()).isEqualTo(ORDER);
            assertThat(svid.getX509Svid().toByteArray()).isEqualTo(order.certificateChainDer());
        });
    }

    @Test
    void fetchX509BundlesStreamsTheTrustDomainBundle() throws Exception {
        registry.register(THIS_PROCESS, ORDER);
        svids.publish(trustDomain.issue(ORDER));

        X509BundlesResponse response = workloadStub().fetchX509Bundles(X509BundlesRequest.getDefaultInstance()).next();

        X509Certificate root = trustDomain.root();
        assertThat(response.getBundlesMap()).containsOnlyKeys("spiffe://ecomm.local");
        assertThat(response.getBundlesOrThrow("spiffe://ecomm.local").toByteArray()).isEqualTo(root.getEncoded());
    }

    @Test
    void jwtSvidCallsAnswerUnimplemented() {
        registry.register(THIS_PROCESS, ORDER);

        assertThatThrownBy(() -> workloadStub().fetchJWTSVID(JWTSVIDRequest.newBuilder().addAudience("sts").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    private SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIBlockingStub workloadStub() {
        Metadata header = new Metadata();
        header.put(WorkloadCallGuard.SECURITY_HEADER, "true");
        return SpiffeWorkloadAPIGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }
}
