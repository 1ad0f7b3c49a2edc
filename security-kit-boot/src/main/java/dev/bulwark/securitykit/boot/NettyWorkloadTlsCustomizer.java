package dev.bulwark.securitykit.boot;

import java.util.Locale;
import java.util.Objects;

import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Makes Reactor Netty serve TLS from the SVID: a {@code NettyServerCustomizer} that sets a Netty
 * {@link io.netty.handler.ssl.JdkSslContext} over {@link WorkloadTls#serverContext()} with the
 * configured client authentication. Added through the factory (not as a {@code
 * NettyServerCustomizer} bean) so that a management server on its own port stays as configured.
 */
final class NettyWorkloadTlsCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(NettyWorkloadTlsCustomizer.class);

    private final WorkloadTls tls;

    NettyWorkloadTlsCustomizer(WorkloadTls tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        if (Ssl.isEnabled(factory.getSsl())) {
            log.warn("event=tls.server_ssl_ignored reason=bulwark.workload.socket_is_set");
            factory.setSsl(null);
        }
        SslContext context = ReactorNettyTls.forServer(tls.serverContext(), tls.clientAuth());
        factory.addServerCustomizers(server -> {
            tls.markServing();
            return server.secure(spec -> spec.sslContext(context));
        });
        log.info("event=tls.server stack=reactor-netty client_auth={}", tls.clientAuth().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
