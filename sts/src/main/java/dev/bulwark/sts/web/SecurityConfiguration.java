package dev.bulwark.sts.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

import dev.bulwark.sts.password.PasswordGrant;
import dev.bulwark.sts.password.PasswordGrantAuthenticationConverter;
import dev.bulwark.sts.password.PasswordGrantAuthenticationProvider;
import dev.bulwark.sts.token.IssuedTokenCounter;

/**
 * Two filter chains: the authorization server's endpoints (token, JWKS, introspection, revocation,
 * discovery), and everything else, where only health and Prometheus are open and the rest is denied.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, RegisteredClientRepository clients,
            OAuth2AuthorizationService authorizations, OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator,
            AuthorizationServerSettings settings, PasswordGrantAuthenticationProvider passwordGrant,
            IssuedTokenCounter issuedTokenCounter) {
        OAuth2AuthorizationServerConfigurer as = new OAuth2AuthorizationServerConfigurer();
        http.securityMatcher(as.getEndpointsMatcher())
                .with(as, server -> server
                        .registeredClientRepository(clients)
                        .authorizationService(authorizations)
                        .authorizationServerSettings(settings)
                        .tokenGenerator(tokenGenerator)
                        .tokenEndpoint(token -> token
                                .accessTokenRequestConverter(new PasswordGrantAuthenticationConverter())
                                .authenticationProvider(passwordGrant)
                                .accessTokenResponseHandler(issuedTokenCounter))
                        .authorizationServerMetadataEndpoint(m -> m.authorizationServerMetadataCustomizer(
                                b -> b.grantType(PasswordGrant.TYPE.getValue())))
                        .oidc(oidc -> oidc.providerConfigurationEndpoint(p -> p.providerConfigurationCustomizer(
                                b -> b.grantType(PasswordGrant.TYPE.getValue())))))
                .authorizeHttpRequests(r -> r.anyRequest().authenticated())
                .oauth2ResourceServer(rs -> rs.jwt(Customizer.withDefaults()))
                .exceptionHandling(e -> e.authenticationEntryPoint(new ClientAuthenticationEntryPoint()));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain defaultChain(HttpSecurity http) {
        http.authorizeHttpRequests(r -> r
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/error")
                        .permitAll()
                        .anyRequest().denyAll())
                .requestCache(c -> c.disable())
                .sessionManagement(s -> s.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)));
        return http.build();
    }
}
