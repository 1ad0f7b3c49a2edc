package dev.bulwark.order.config;

import dev.bulwark.policy.CedarPolicyEngine;
import dev.bulwark.policy.PolicyEngine;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded policy decision point: Cedar in-process, from {@code bulwark.order.policy.dir} (the directory
 * the gateway reads too, so both decide with the same policies and data), or the built-in defaults.
 */
@Configuration(proxyBeanMethods = false)
class PolicyConfiguration {

    @Bean(destroyMethod = "close")
    PolicyEngine orderPolicyEngine(OrderProperties properties, MeterRegistry meters) {
        OrderProperties.Policy policy = properties.policy();
        return policy.dir() == null
                ? CedarPolicyEngine.fromClasspathDefaults(meters)
                : CedarPolicyEngine.fromDirectory(policy.dir(), policy.reloadInterval(), meters);
    }
}
