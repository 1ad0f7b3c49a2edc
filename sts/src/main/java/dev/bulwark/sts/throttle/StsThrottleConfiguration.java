package dev.bulwark.sts.throttle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

import dev.bulwark.securitykit.throttle.ClientIpResolver;
import dev.bulwark.securitykit.throttle.RateLimiter;
import dev.bulwark.securitykit.throttle.Throttle;
import dev.bulwark.securitykit.throttle.ThrottleMetrics;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Registers {@link StsThrottleFilter} on the token and authorization endpoints (as configured in
 * {@link AuthorizationServerSettings}), just outside Spring Security's filter chain. Buckets are local
 * to this process: STS instances behind a load balancer each allow the configured rate. A
 * {@link TimeMeter} bean, if any, replaces the system clock (tests move time instead of sleeping).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StsThrottleProperties.class)
public class StsThrottleConfiguration {

    /** Just outside Spring Security's chain (-100): a refused request costs no client authentication. */
    static final int ORDER = -102;

    private static final Logger log = LoggerFactory.getLogger(StsThrottleConfiguration.class);
    private static final int MAX_KEYS = 100_000;

    @Bean(destroyMethod = "close")
    Throttle stsThrottle(MeterRegistry meters, ObjectProvider<TimeMeter> clock) {
        TimeMeter time = clock.getIfAvailable();
        RateLimiter limiter = time == null ? RateLimiter.local() : RateLimiter.local(time, MAX_KEYS);
        return new Throttle(limiter, new ThrottleMetrics(meters, "sts"));
    }

    @Bean
    FilterRegistrationBean<StsThrottleFilter> stsThrottleFilter(StsThrottleProperties properties, Throttle stsThrottle,
            AuthorizationServerSettings settings) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        StsThrottleFilter filter = new StsThrottleFilter(stsThrottle,
                ClientIpResolver.trusting(properties.trustedProxies()),
                new OrRequestMatcher(paths.matcher(settings.getTokenEndpoint()),
                        paths.matcher(settings.getAuthorizationEndpoint())),
                properties.perIpLimits().orElse(null), properties.perClientLimits().orElse(null));
        FilterRegistrationBean<StsThrottleFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("stsThrottleFilter");
        registration.setOrder(ORDER);
        registration.setEnabled(properties.enabled());
        log.info("event=sts.throttle enabled={} per_ip={} per_client={} trusted_proxies={}", properties.enabled(),
                properties.perIpLimits().map(Object::toString).orElse("off"),
                properties.perClientLimits().map(Object::toString).orElse("off"), properties.trustedProxies());
        return registration;
    }
}
