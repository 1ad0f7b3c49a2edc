package dev.bulwark.gateway.throttle;


import dev.bulwark.securitykit.throttle.ClientIpResolver;
import dev.bulwark.securitykit.throttle.RateLimiter;
import dev.bulwark.securitykit.throttle.RedisRateLimiter;
import dev.bulwark.securitykit.throttle.Throttle;
import dev.bulwark.securitykit.throttle.ThrottleMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The throttle stage of the gateway ({@code bulwark.gateway.throttle.enabled}, on by default). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ThrottleProperties.class)
@ConditionalOnBooleanProperty(name = "bulwark.gateway.throttle.enabled", matchIfMissing = true)
class ThrottleConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("bulwark.throttle");

    @Bean(destroyMethod = "close")
    Throttle gatewayThrottle(ThrottleProperties properties, MeterRegistry meters) {
        ThrottleMetrics metrics = new ThrottleMetrics(meters, "gateway");
        RateLimiter limiter = RateLimiter.local();
        if (properties.backend() == ThrottleProperties.Backend.REDIS) {
            ThrottleProperties.Redis redis = properties.redis();
            limiter = RedisRateLimiter.create(redis.url(), redis.keyPrefix(), redis.timeout(), properties.failureMode(),
                    limiter, metrics);
        }
        LOG.info("event=throttle_configured component=gateway backend={} per_client={} per_user={} per_ip={} "
                + "per_operation={} global={} tiers={}", properties.backendName(), properties.perClient(),
                properties.perUser(), properties.perIp(), properties.perOperation(), properties.global(),
                properties.tiers().keySet());
        return new Throttle(limiter, metrics);
    }

    @Bean
    ThrottleFilter throttleFilter(Throttle gatewayThrottle, ThrottleProperties properties) {
        return new ThrottleFilter(gatewayThrottle, new ThrottleRules(properties),
                ClientIpResolver.trusting(properties.trustedProxies()),
                properties.backend() == ThrottleProperties.Backend.REDIS);
    }
}
