package dev.bulwark.gateway;

import java.time.Clock;

import com.nimbusds.jose.jwk.ECKey;
import dev.bulwark.gateway.context.UserContextFilter;
import dev.bulwark.gateway.context.UserContextSigner;
import dev.bulwark.gateway.error.BearerErrorRenderer;
import dev.bulwark.gateway.error.UpstreamFailureHandler;
import dev.bulwark.gateway.headers.IdentityHeaders;
import dev.bulwark.gateway.scope.ScopeAuthorizationManager;
import dev.bulwark.gateway.scope.ScopeRules;
import dev.bulwark.gateway.tls.OutboundHttp;
import dev.bulwark.gateway.tls.WorkloadUpstreamTls;
import dev.bulwark.gateway.token.TokenAuthenticationManager;
import dev.bulwark.securitykit.boot.ReactorNettyTls;
import dev.bulwark.securitykit.boot.WorkloadTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import reactor.core.publisher.Mono;

/** Wires the pipeline: extract → authenticate → authorize (scopes) → strip headers → sign context → route. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
class GatewayConfiguration {

    static final String ORDER_ROUTE = "orders";

    @Bean
    Clock gatewayClock() {
        return Clock.systemUTC();
    }

    @Bean
    ManagementPort managementPort() {
        return new ManagementPort();
    }

    @Bean
    BearerErrorRenderer bearerErrorRenderer(MeterRegistry meters) {
        return new BearerErrorRenderer(meters);
    }

    @Bean
    UpstreamFailureHandler upstreamFailureHandler() {
        return new UpstreamFailureHandler();
    }

    /** JWKS and introspection: with workload identity, TLS from the SVID expecting the STS's SPIFFE ID. */
    @Bean
    TokenAuthenticationManager tokenAuthenticationManager(GatewayProperties properties, SslBundles bundles, Clock clock,
            ObjectProvider<WorkloadTls> workload) {
        WorkloadTls tls = workload.getIfAvailable();
        SslContext toSts = tls == null ? null : ReactorNettyTls.forClient(tls.clientContext(properties.stsSpiffeId()));
        return TokenAuthenticationManager.create(properties, OutboundHttp.webClient(bundles, toSts), clock);
    }

    /** The upstream (order service): with workload identity, TLS from the SVID expecting the order service's SPIFFE ID. */
    @Bean
    HttpClientCustomizer workloadUpstreamTls(GatewayProperties properties, ObjectProvider<WorkloadTls> workload) {
        WorkloadTls tls = workload.getIfAvailable();
        if (tls == null) {
            return client -> client;
        }
        return new WorkloadUpstreamTls(ReactorNettyTls.forClient(tls.clientContext(properties.orderServiceSpiffeId())),
                properties.orderServiceSpiffeId());
    }

    @Bean
    UserContextSigner userContextSigner(GatewayProperties properties, Clock clock) {
        ECKey key = UserContextSigner.loadOrGenerate(properties.userContext().keyFile());
        return new UserContextSigner(key, properties.userContext().issuer(), properties.userContext().lifetime(), clock);
    }

    @Bean
    IdentityHeaders identityHeaders() {
        return new IdentityHeaders();
    }

    @Bean
    RouteLocator orderRoutes(RouteLocatorBuilder routes, GatewayProperties properties, UserContextSigner signer) {
        UserContextFilter userContext = new UserContextFilter(signer, properties.userContext().audience());
        return routes.routes()
                .route(ORDER_ROUTE, r -> r.path("/api/orders", "/api/orders/**")
                        .filters(f -> f.rewritePath("^/api/orders(?<rest>/.*)?$", "/orders${rest}")
                                // the route maps /api/orders to /orders; map the service's Location back
                                .rewriteResponseHeader("Location", "^/orders", "/api/orders")
                                .filter(userContext)
                                .removeResponseHeader("Server")
                                .removeResponseHeader("X-Powered-By"))
                        .uri(properties.orderServiceUri()))
                .build();
    }

    /** The management port (health, Prometheus) is loopback-only and needs no token. */
    @Bean
    @Order(1)
    SecurityWebFilterChain managementSecurity(ServerHttpSecurity http, ManagementPort managementPort) {
        return stateless(http)
                .securityMatcher(managementPort)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus").permitAll()
                        .anyExchange().denyAll())
                .build();
    }

    @Bean
    @Order(2)
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, TokenAuthenticationManager tokens,
            BearerErrorRenderer errors) {
        return stateless(http)
                .authorizeExchange(exchanges -> exchanges
                        // actuator only on the management port, even when no separate port is configured
                        .pathMatchers("/actuator", "/actuator/**").denyAll()
                        .anyExchange().access(new ScopeAuthorizationManager(ScopeRules.orders())))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .authenticationManagerResolver(exchange -> Mono.just(tokens))
                        .authenticationEntryPoint(errors)
                        .authenticationFailureHandler(errors)
                        .accessDeniedHandler(errors))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors))
                .build();
    }

    private static ServerHttpSecurity stateless(ServerHttpSecurity http) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance());
    }
}
