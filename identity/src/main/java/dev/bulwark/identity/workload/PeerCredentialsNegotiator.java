package dev.bulwark.identity.workload;

import io.grpc.Attributes;
import io.grpc.ChannelLogger;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.PeerCredentials;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plaintext (the socket is local) plus one step: when a connection is accepted, read the peer's
 * credentials from the kernel ({@code SO_PEERCRED} on the epoll domain socket) and put them in the
 * transport attributes as {@link PeerProcess#ATTRIBUTE}, where every call on that connection finds
 * them. A connection whose credentials cannot be read carries none and every call on it is refused.
 *
 * <p>Uses grpc-netty's {@code Internal*} negotiation hooks, the same ones grpc's own TLS and ALTS
 * negotiators are built on; they are not a stable API, so a grpc upgrade is checked by
 * {@code WorkloadApiServerIT}.
 */
final class PeerCredentialsNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {

    private static final Logger log = LoggerFactory.getLogger(PeerCredentialsNegotiator.class);

    private final InternalProtocolNegotiator.ProtocolNegotiator plaintext = InternalProtocolNegotiators.serverPlaintext();

    static ServerCredentials serverCredentials() {
        return InternalNettyServerCredentials.create(new PeerCredentialsNegotiator());
    }

    @Override
    public AsciiString scheme() {
        return plaintext.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        ChannelLogger logger = grpcHandler.getNegotiationLogger();
        ChannelHandler grpc = InternalProtocolNegotiators.grpcNegotiationHandler(grpcHandler);
        return InternalProtocolNegotiators.waitUntilActiveHandler(new ReadPeerCredentials(grpc, logger), logger);
    }

    @Override
    public void close() {
        plaintext.close();
    }

    private static final class ReadPeerCredentials extends InternalProtocolNegotiators.ProtocolNegotiationHandler {

        ReadPeerCredentials(ChannelHandler next, ChannelLogger logger) {
            super(next, "peer-credentials", logger);
        }

        @Override
        protected void protocolNegotiationEventTriggered(ChannelHandlerContext ctx) {
            ProtocolNegotiationEvent event = getProtocolNegotiationEvent();
            Attributes.Builder attributes = InternalProtocolNegotiationEvent.getAttributes(event).toBuilder();
            if (ctx.channel() instanceof EpollDomainSocketChannel channel) {
                try {
                    PeerCredentials credentials = channel.peerCredentials();
                    attributes.set(PeerProcess.ATTRIBUTE, new PeerProcess(credentials.pid(), credentials.uid()));
                } catch (IOException e) {
                    log.info("event=workload_api.peer_credentials_unreadable reason={}", e.toString());
                }
            } else {
                log.info("event=workload_api.peer_credentials_unreadable reason=not_a_domain_socket channel={}",
                        ctx.channel().getClass().getSimpleName());
            }
            replaceProtocolNegotiationEvent(InternalProtocolNegotiationEvent.withAttributes(event, attributes.build()));
            fireProtocolNegotiationEvent(ctx);
        }
    }
}
