package dev.bulwark.identity.workload;

import dev.bulwark.identity.jwt.JwtSvidIssuer;
import dev.bulwark.identity.workload.grpc.SpiffeWorkloadAPIGrpc;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SPIFFE Workload API ({@code SpiffeWorkloadAPI}, the public {@code workload.proto}) served on
 * a Unix domain socket, so that java-spiffe's {@code DefaultX509Source} (or SPIRE's agent in its
 * place) works unchanged.
 *
 * <p>Every call must carry {@code workload.spiffe.io: true} and come from a process registered in
 * the {@link WorkloadRegistry}; the process is identified by the kernel ({@code SO_PEERCRED}), not by
 * anything it sends. {@code FetchX509SVID} and {@code FetchX509Bundles} stream the caller's SVID and
 * bundle and push a new message on each rotation. The JWT-SVID profile is served when the server is
 * started with a {@link JwtSvidIssuer}: {@code FetchJWTSVID} signs a JWT-SVID for the caller's own
 * identity, {@code FetchJWTBundles} streams the issuer's JWK set again on every key rotation and
 * retirement, {@code ValidateJWTSVID} validates against it. Started without one, the JWT-SVID calls
 * answer {@code Unimplemented} (Workload API §6 is then simply not offered).
 *
 * <p>Linux only: it needs the epoll transport that grpc-netty-shaded carries.
 */
public final class WorkloadApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkloadApiServer.class);

    private final Server server;
    private final EventLoopGroup eventLoops;
    private final Path socket;

    private WorkloadApiServer(Server server, EventLoopGroup eventLoops, Path socket) {
        this.server = server;
        this.eventLoops = eventLoops;
        this.socket = socket;
    }

    /**
     * Binds {@code socket} (replacing a stale socket file left there) and serves the X.509-SVID
     * profile; the JWT-SVID calls answer {@code Unimplemented}.
     *
     * @throws IllegalStateException if the epoll transport cannot load on this machine
     * @throws UncheckedIOException if the socket cannot be bound
     */
    public static WorkloadApiServer start(Path socket, WorkloadRegistry registry, X509SvidSource source) {
        return start(socket, registry, source, FederatedBundleSource.NONE, null, "x509");
    }

    /**
     * Binds {@code socket} (replacing a stale socket file left there) and serves both profiles: the
     * X.509-SVIDs of {@code source} and the JWT-SVIDs of {@code jwtSvids}. Closing the server does not
     * stop either source; their owner does.
     *
     * @throws IllegalStateException if the epoll transport cannot load on this machine
     * @throws UncheckedIOException if the socket cannot be bound
     */
    public static WorkloadApiServer start(Path socket, WorkloadRegistry registry, X509SvidSource source,
            JwtSvidIssuer jwtSvids) {
        return start(socket, registry, source, FederatedBundleSource.NONE, Objects.requireNonNull(jwtSvids, "jwtSvids"), "x509,jwt");
    }

    /**
     * As {@link #start(Path, WorkloadRegistry, X509SvidSource, JwtSvidIssuer)}, and serves the bundles of
     * {@code federation} as {@code federated_bundles} of every {@code FetchX509SVID} message and in
     * {@code FetchX509Bundles}, pushing them again to every open stream when they change.
     */
    public static WorkloadApiServer start(Path socket, WorkloadRegistry registry, X509SvidSource source,
            FederatedBundleSource federation, JwtSvidIssuer jwtSvids) {
        return start(socket, registry, source, Objects.requireNonNull(federation, "federation"),
                Objects.requireNonNull(jwtSvids, "jwtSvids"), "x509,jwt");
    }

    private static WorkloadApiServer start(Path socket, WorkloadRegistry registry, X509SvidSource source,
            FederatedBundleSource federation, @Nullable JwtSvidIssuer jwtSvids, String profiles) {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(source, "source");
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Workload API socket: epoll transport unavailable (expected: Linux with "
                    + "grpc-netty-shaded's native library)", Epoll.unavailabilityCause());
        }
        EventLoopGroup eventLoops = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("workload-api", true), EpollIoHandler.newFactory());
        try {
            Files.deleteIfExists(socket);
            Server server = NettyServerBuilder
                    .forAddress(new DomainSocketAddress(socket.toString()), PeerCredentialsNegotiator.serverCredentials())
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(eventLoops)
                    .workerEventLoopGroup(eventLoops)
                    .addService(ServerInterceptors.intercept(new WorkloadApiService(source, federation, registry, jwtSvids), new WorkloadCallGuard(registry)))
                    .build()
                    .start();
            log.info("event=workload_api.started socket={} service={} profiles={}", socket, SpiffeWorkloadAPIGrpc.SERVICE_NAME, profiles);
            return new WorkloadApiServer(server, eventLoops, socket);
        } catch (IOException | RuntimeException e) {
            eventLoops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e instanceof IOException io ? new UncheckedIOException("cannot bind Workload API socket " + socket, io)
                    : (RuntimeException) e;
        }
    }

    /** The socket path, e.g. for {@code SPIFFE_ENDPOINT_SOCKET=unix:<path>}. */
    public Path socket() {
        return socket;
    }

    /** Stops serving, ends open streams, and removes the socket file. */
    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                log.info("event=workload_api.socket_not_removed socket={} reason={}", socket, e.toString());
            }
        }
        log.info("event=workload_api.stopped socket={}", socket);
    }
}
