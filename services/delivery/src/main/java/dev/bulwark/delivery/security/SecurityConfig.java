package dev.bulwark.delivery.security;

import dev.bulwark.securitykit.boot.jwt.EastWestResourceServer;
import dev.bulwark.securitykit.boot.web.ApiSecurity;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The delivery service accepts only bearer tokens of the logistics STS addressed to it
 * ({@code bulwark.east-west.*}), verified by security-kit-boot's {@link EastWestResourceServer}; the callers are
 * the logistics gateway and the ecomm order service, both over mTLS. No session is created.
 * Authentication and authorization failures are handed to the one API error renderer ({@code ApiErrorHandler}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    static final String READ = "SCOPE_delivery:read";
    static final String WRITE = "SCOPE_delivery:write";

    /** Only when the actuator has its own port (the launcher's set-up); on the API port it is denied. */
    @Bean
    @Order(1)
    @ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
    SecurityFilterChain managementChain(HttpSecurity http) throws Exception {
        return ApiSecurity.managementChain(http, EndpointRequest.toAnyEndpoint());
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, EastWestResourceServer eastWest,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) throws Exception {
        return ApiSecurity.apiChain(http, resolver, EndpointRequest.toAnyEndpoint(),
                a -> a.requestMatchers(HttpMethod.POST, "/deliveries").hasAuthority(WRITE)
                    .requestMatchers(HttpMethod.GET, "/deliveries/*").hasAuthority(READ),
                o -> o.authenticationManagerResolver(eastWest));
    }
}
