package dev.bulwark.order.security;

import java.time.Instant;
import java.util.Objects;

import dev.bulwark.order.config.OrderProperties;
import dev.bulwark.securitykit.boot.jwt.AuditLogFilter;
import dev.bulwark.securitykit.boot.web.ApiSecurity;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The order service trusts exactly one credential: the gateway's user-context JWT (ES256, signed by a key of
 * the configured JWK set file, {@code iss}, {@code aud}, {@code exp}/{@code nbf} checked). No identity header
 * is read; no session is created. Authentication and authorization failures are handed to the one API error
 * renderer ({@code ApiErrorHandler}) through the {@link HandlerExceptionResolver}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    static final String READ = "SCOPE_orders:read";
    static final String WRITE = "SCOPE_orders:write";

    /** Only when the actuator has its own port (the launcher's set-up); on the API port it is denied. */
    @Bean
    @Order(1)
    @ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
    SecurityFilterChain managementChain(HttpSecurity http) throws Exception {
        return ApiSecurity.managementChain(http, EndpointRequest.toAnyEndpoint());
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) throws Exception {
        // the verified caller, for the audit log (AuditLogFilter, below)
        http.addFilterAfter(new UserContextCaller(), BearerTokenAuthenticationFilter.class);
        return ApiSecurity.apiChain(http, resolver, EndpointRequest.toAnyEndpoint(),
                a -> a.requestMatchers(HttpMethod.POST, "/orders").hasAuthority(WRITE)
                    .requestMatchers(HttpMethod.GET, "/orders", "/orders/*").hasAuthority(READ)
                    // and the policy's verdict (the ops role), asked by the controller
                    .requestMatchers(HttpMethod.DELETE, "/orders/*").hasAuthority(WRITE),
                o -> o.jwt(j -> { }));
    }

    /** Every authenticated request, with its status and delegation chain, to the {@code bulwark.audit} log. */
    @Bean
    FilterRegistrationBean<AuditLogFilter> auditLogFilter() {
        return AuditLogFilter.registration();
    }

    @Bean
    JwtDecoder userContextJwtDecoder(OrderProperties properties) {
        OrderProperties.UserContext userContext = properties.userContext();
        NimbusJwtDecoder decoder = NimbusJwtDecoder
            .withJwkSource(new FileJwkSetSource(userContext.requiredJwkSetFile()))
            .jwsAlgorithm(SignatureAlgorithm.ES256)
            .build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(
                new JwtIssuerValidator(userContext.issuer()),
                new JwtAudienceValidator(userContext.audience()),
                new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
                new JwtClaimValidator<String>(JwtClaimNames.SUB,
                        sub -> sub != null && !sub.isBlank() && sub.length() <= 255)));
        return decoder;
    }
}
