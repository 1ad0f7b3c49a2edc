package dev.bulwark.inventory.security;

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
 * The inventory service accepts only east/west bearer tokens addressed to it ({@code bulwark.east-west.*}),
 * verified by security-kit-boot's {@link EastWestResourceServer}: STS-exchanged tokens of the trusted issuer,
 * self-issued or nested JWTs of the configured signers, each bound to the mTLS peer. No session is created.
 * Authentication and authorization failures are handed to the one API error renderer ({@code ApiErrorHandler}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    static final String READ = "SCOPE_inventory:read";
    static final String WRITE = "SCOPE_inventory:write";

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
                a -> a.requestMatchers(HttpMethod.PUT, "/inventory").hasAuthority(WRITE)
                    .requestMatchers(HttpMethod.DELETE, "/inventory/reservations/*").hasAuthority(WRITE)
                    .requestMatchers(HttpMethod.GET, "/inventory/*").hasAuthority(READ),
                o -> o.authenticationManagerResolver(eastWest));
    }
}
