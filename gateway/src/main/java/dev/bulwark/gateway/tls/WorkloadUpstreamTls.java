package dev.bulwark.gateway.tls;

import java.util.Objects;

import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import reactor.netty.http.client.HttpClient;

/**
 * TLS of Spring Cloud Gateway's upstream client from the gateway's SVID, accepting only the order
 * service's SPIFFE ID. Spring Cloud Gateway applies customizers after its own {@code httpclient.ssl}
 * settings, so this one wins over an SSL bundle.
 */
public final class WorkloadUpstreamTls implements HttpClientCustomizer {

    private static final Logger log = LoggerFactory.getLogger(WorkloadUpstreamTls.class);

    private final SslContext context;
    private final String expected;

    public WorkloadUpstreamTls(SslContext context, String expectedSpiffeId) {
        this.context = Objects.requireNonNull(context, "context");
        this.expected = Objects.requireNonNull(expectedSpiffeId, "expectedSpiffeId");
    }

    @Override
    public HttpClient customize(HttpClient client) {
        log.info("event=outbound_tls source=svid peer={}", expected);
        return client.secure(spec -> spec.sslContext(context));
    }
}
