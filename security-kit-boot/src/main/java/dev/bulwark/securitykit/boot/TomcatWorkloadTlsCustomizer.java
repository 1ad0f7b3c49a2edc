package dev.bulwark.securitykit.boot;

import java.util.Arrays;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Makes Tomcat's connector serve TLS from the SVID. Spring Boot's SSL bundles are key stores, read
 * once; a key store cannot follow an SVID that is renewed every half hour. So the connector gets an
 * {@link SSLHostConfig} whose certificate carries a ready {@link TomcatSvidSslContext} (Tomcat uses a
 * provided context as is), with TLS 1.3/1.2, SpiffeTls's suites and the configured client
 * authentication. Runs last, and switches off {@code server.ssl.*} if it was also set. The
 * management server, when on its own port, is a child context and is not touched.
 */
final class TomcatWorkloadTlsCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(TomcatWorkloadTlsCustomizer.class);

    private final WorkloadTls tls;

    TomcatWorkloadTlsCustomizer(WorkloadTls tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        if (Ssl.isEnabled(factory.getSsl())) {
            log.warn("event=tls.server_ssl_ignored reason=bulwark.workload.socket_is_set");
            factory.setSsl(null);
        }
        SSLContext context = tls.serverContext();
        factory.addConnectorCustomizers(connector -> configure(connector, context));
    }

    private void configure(Connector connector, SSLContext context) {
        ProtocolHandler handler = connector.getProtocolHandler();
        if (!(handler instanceof AbstractHttp11Protocol<?> protocol)) {
            throw new IllegalStateException("tomcat protocol: " + handler.getClass().getName()
                    + " (expected: an HTTP/1.1 protocol, to serve TLS from the SVID)");
        }
        SSLParameters parameters = tls.serverParameters(context);
        SSLHostConfig config = new SSLHostConfig();
        config.setHostName(protocol.getDefaultSSLHostConfigName());
        config.setCertificateVerification(switch (tls.clientAuth()) {
            case NEED -> "required";
            case WANT -> "optional";
            case NONE -> "none";
        });
        config.setProtocols(String.join(",", parameters.getProtocols()));
        // Tomcat 11 takes the TLS 1.2 suites and the TLS 1.3 ones apart
        config.setCiphers(String.join(",", Arrays.stream(parameters.getCipherSuites()).filter(s -> s.contains("_WITH_")).toList()));
        config.setCipherSuites(String.join(":", Arrays.stream(parameters.getCipherSuites()).filter(s -> !s.contains("_WITH_")).toList()));
        config.setHonorCipherOrder(true);
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(config, SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setSslContext(new TomcatSvidSslContext(context, tls.svids()));
        config.addCertificate(certificate);
        connector.setScheme("https");
        connector.setSecure(true);
        protocol.setSSLEnabled(true);
        protocol.addSslHostConfig(config, true);
        tls.markServing();
        log.info("event=tls.server stack=tomcat client_auth={} protocols={}", tls.clientAuth().name().toLowerCase(java.util.Locale.ROOT),
                String.join(",", parameters.getProtocols()));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
