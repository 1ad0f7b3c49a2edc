package dev.bulwark.gateway.tls;

import java.time.Duration;

import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * Builds the WebClient the gateway uses towards the STS (JWKS, introspection): TLS from the SSL
 * bundle {@value #CLIENT_BUNDLE} when it is configured (local CA trust, own certificate as client
 * certificate), or from the workload's SVID when workload identity is on, the JDK defaults otherwise; short timeouts so that a dead STS fails fast (and closed).
 */
public final class OutboundHttp {

    public static final String CLIENT_BUNDLE = "client";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(OutboundHttp.class);

    private OutboundHttp() {
    }

    public static WebClient webClient(SslBundles bundles) {
        return webClient(bundles, null);
    }

    /**
     * With {@code workload} (the workload's SVID, expecting the STS's SPIFFE ID) when workload identity
     * is on; else the {@value #CLIENT_BUNDLE} bundle, else the JDK defaults.
     */
    public static WebClient webClient(SslBundles bundles, @Nullable SslContext workload) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .responseTimeout(RESPONSE_TIMEOUT)
                .followRedirect(false);
        if (workload != null) {
            http = http.secure(spec -> spec.sslContext(workload));
            log.info("event=outbound_tls source=svid peer=sts");
        } else if (bundles.getBundleNames().contains(CLIENT_BUNDLE)) {
            SslContext context = sslContext(bundles.getBundle(CLIENT_BUNDLE));
            http = http.secure(spec -> spec.sslContext(context));
            log.info("event=outbound_tls bundle={}", CLIENT_BUNDLE);
        } else {
            log.info("event=outbound_tls bundle=none trust=jdk-default");
        }
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    /**
     * A JDK {@link SSLContext} for clients that take one (the token-exchange client without workload
     * identity): from the {@value #CLIENT_BUNDLE} bundle when configured, else the JDK default.
     */
    public static SSLContext jdkSslContext(SslBundles bundles) {
        if (bundles.getBundleNames().contains(CLIENT_BUNDLE)) {
            return bundles.getBundle(CLIENT_BUNDLE).createSslContext();
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context in this JDK", e);
        }
    }

    private static SslContext sslContext(SslBundle bundle) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .trustManager(bundle.getManagers().getTrustManagerFactory());
            if (bundle.getStores().getKeyStore() != null) {
                builder.keyManager(bundle.getManagers().getKeyManagerFactory());
            }
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("ssl bundle " + CLIENT_BUNDLE + " cannot be used", e);
        }
    }
}
