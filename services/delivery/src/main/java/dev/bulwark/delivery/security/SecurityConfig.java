package dev.bulwark.delivery.security;

import dev.bulwark.securitykit.boot.jwt.EastWestResourceServer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
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
        return http.securityMatcher(EndpointRequest.toAnyEndpoint())
            .authorizeHttpRequests(a -> a.anyRequest().permitAll())
            .csrf(AbstractHttpConfigurer::disable)
            .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache(AbstractHttpConfigurer::disable)
            .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, EastWestResourceServer eastWest,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) throws Exception {
        AuthenticationEntryPoint entryPoint = (request, response, ex) -> resolver.resolveException(request,
                response, null, ex);
        AccessDeniedHandler deniedHandler = (request, response, ex) -> resolver.resolveException(request,
                response, null, ex);
        return http
            .authorizeHttpRequests(a -> a.requestMatchers(HttpMethod.POST, "/deliveries").hasAuthority(WRITE)
                .requestMatchers(HttpMethod.GET, "/deliveries/*").hasAuthority(READ)
                .requestMatchers(EndpointRequest.toAnyEndpoint()).denyAll()
                .requestMatchers("/error").permitAll()
                .anyRequest().authenticated())
            .oauth2ResourceServer(o -> o.authenticationEntryPoint(entryPoint)
                .accessDeniedHandler(deniedHandler)
                .authenticationManagerResolver(eastWest))
            .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(deniedHandler))
            .csrf(AbstractHttpConfigurer::disable)
            .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache(AbstractHttpConfigurer::disable)
            .httpBasic(AbstractHttpConfigurer::disable)
            .formLogin(AbstractHttpConfigurer::disable)
            .logout(AbstractHttpConfigurer::disable)
            .build();
    }
}
