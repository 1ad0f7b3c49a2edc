package dev.bulwark.sts.web;

import java.time.Clock;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationServerMetadata;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2TokenExchangeAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.OidcProviderConfiguration;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

import dev.bulwark.sts.exchange.DelegationGrants;
import dev.bulwark.sts.exchange.JwtBearerAuthenticationConverter;
import dev.bulwark.sts.exchange.JwtBearerAuthenticationProvider;
import dev.bulwark.sts.exchange.TokenExchangeAuthenticationConverter;
import dev.bulwark.sts.exchange.TokenExchangeAuthenticationProvider;
import dev.bulwark.sts.mtls.MutualTlsClientAuthentication;
import dev.bulwark.sts.password.PasswordGrant;
import dev.bulwark.sts.password.PasswordGrantAuthenticationConverter;
import dev.bulwark.sts.password.PasswordGrantAuthenticationProvider;
import dev.bulwark.sts.token.IssuedTokenCounter;

/**
 * Two filter chains: the authorization server's endpoints (token, JWKS, introspection, revocation,
 * discovery; client authentication by secret or RFC 8705 {@code tls_client_auth}), and everything else, where only health and Prometheus are open and the rest is denied.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, RegisteredClientRepository clients,
            OAuth2AuthorizationService authorizations, OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator,
            AuthorizationServerSettings settings, PasswordGrantAuthenticationProvider passwordGrant,
            TokenExchangeAuthenticationProvider tokenExchange, JwtBearerAuthenticationProvider jwtBearer,
            IssuedTokenCounter issuedTokenCounter, Clock clock) {
        OAuth2AuthorizationServerConfigurer as = new OAuth2AuthorizationServerConfigurer();
        http.securityMatcher(as.getEndpointsMatcher())
                .with(as, server -> server
                        .registeredClientRepository(clients)
                        .authorizationService(authorizations)
                        .authorizationServerSettings(settings)
                        .tokenGenerator(tokenGenerator)
                        .clientAuthentication(c -> MutualTlsClientAuthentication.configure(c, clock))
                        .tokenEndpoint(token -> token
                                .accessTokenRequestConverter(new PasswordGrantAuthenticationConverter())
                                .accessTokenRequestConverter(new TokenExchangeAuthenticationConverter())
                                .accessTokenRequestConverter(new JwtBearerAuthenticationConverter())
                                // ours replace the built-in RFC 8693 support, which accepts only subject
                                // tokens stored in this server's authorization service
                                .accessTokenRequestConverters(c -> c.removeIf(
                                        OAuth2TokenExchangeAuthenticationConverter.class::isInstance))
                                .authenticationProvider(passwordGrant)
                                .authenticationProvider(tokenExchange)
                                .authenticationProvider(jwtBearer)
                                .authenticationProviders(p -> p.removeIf(
                                        OAuth2TokenExchangeAuthenticationProvider.class::isInstance))
                                .accessTokenResponseHandler(issuedTokenCounter))
                        .authorizationServerMetadataEndpoint(m -> m.authorizationServerMetadataCustomizer(
                                SecurityConfiguration::advertise))
                        .oidc(oidc -> oidc.providerConfigurationEndpoint(p -> p.providerConfigurationCustomizer(
                                SecurityConfiguration::advertiseOidc))))
                .authorizeHttpRequests(r -> r.anyRequest().authenticated())
                .oauth2ResourceServer(rs -> rs.jwt(Customizer.withDefaults()))
                .exceptionHandling(e -> e.authenticationEntryPoint(new ClientAuthenticationEntryPoint()));
        return http.build();
    }

    // discovery: the password grant, and exactly the client authentication methods accepted (RFC 8414 §2, RFC 8705 §3.3)
    private static void advertise(OAuth2AuthorizationServerMetadata.Builder metadata) {
        metadata.grantTypes(SecurityConfiguration::grantTypes)
                .tokenEndpointAuthenticationMethods(MutualTlsClientAuthentication::supportedMethods)
                .tokenIntrospectionEndpointAuthenticationMethods(MutualTlsClientAuthentication::supportedMethods)
                .tokenRevocationEndpointAuthenticationMethods(MutualTlsClientAuthentication::supportedMethods)
                .tlsClientCertificateBoundAccessTokens(true);
    }

    private static void advertiseOidc(OidcProviderConfiguration.Builder metadata) {
        metadata.grantTypes(SecurityConfiguration::grantTypes)
                .tokenEndpointAuthenticationMethods(MutualTlsClientAuthentication::supportedMethods)
                .tokenIntrospectionEndpointAuthenticationMethods(MutualTlsClientAuthentication::supportedMethods)
                .tokenRevocationEndpointAuthenticationMethods(MutualTlsClientAuthentication::supportedMethods)
                .tlsClientCertificateBoundAccessTokens(true);
    }

    private static void grantTypes(List<String> grantTypes) {
        for (String g : List.of(PasswordGrant.TYPE.getValue(), DelegationGrants.TOKEN_EXCHANGE.getValue(),
                DelegationGrants.JWT_BEARER.getValue())) {
            if (!grantTypes.contains(g)) {
                grantTypes.add(g);
            }
        }
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
