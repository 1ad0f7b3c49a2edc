package dev.bulwark.gateway.tls;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Points Spring Cloud Gateway's upstream HTTP client at the SSL bundle {@code client} when (and only
 * when) that bundle is configured, so the order service's mTLS port sees the gateway's certificate.
 * Setting the property unconditionally would fail start-up in plain-HTTP mode (no such bundle).
 */
public final class ClientBundleEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String UPSTREAM_BUNDLE_PROPERTY = "spring.cloud.gateway.server.webflux.httpclient.ssl.ssl-bundle";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(UPSTREAM_BUNDLE_PROPERTY) || !hasClientBundle(environment)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource("bulwarkGatewayUpstreamTls",
                Map.of(UPSTREAM_BUNDLE_PROPERTY, OutboundHttp.CLIENT_BUNDLE)));
    }

    static boolean hasClientBundle(ConfigurableEnvironment environment) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith("spring.ssl.bundle.pem.client.") || name.startsWith("spring.ssl.bundle.jks.client.")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
