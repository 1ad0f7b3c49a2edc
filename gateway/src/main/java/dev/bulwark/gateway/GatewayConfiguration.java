package dev.bulwark.gateway;

import java.time.Clock;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import com.nimbusds.jose.jwk.ECKey;
import dev.bulwark.gateway.context.UserContextFilter;
import dev.bulwark.gateway.context.UserContextSigner;
import dev.bulwark.gateway.error.BearerErrorRenderer;
import dev.bulwark.gateway.error.UpstreamFailureHandler;
import dev.bulwark.gateway.exchange.StsTokenExchange;
import dev.bulwark.gateway.exchange.TokenExchangeFilter;
import dev.bulwark.gateway.headers.IdentityHeaders;
import dev.bulwark.gateway.policy.GatewayPolicy;
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
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import reactor.core.publisher.Mono;

/**
 * Wires the pipeline: extract → authenticate → authorize (scopes, then policy: gateway.policy) → strip
 * headers → upstream credential (user-context JWT or exchanged token) → route.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
class GatewayConfiguration {

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
            ObjectProvider<WorkloadTls> workload, MeterRegistry meters) {
        WorkloadTls tls = workload.getIfAvailable();
        SslContext toSts = tls == null ? null : ReactorNettyTls.forClient(tls.clientContext(properties.stsSpiffeId()));
        return TokenAuthenticationManager.create(properties, OutboundHttp.webClient(bundles, toSts), clock, meters);
    }

    /** The upstream (the order service by default): with workload identity, TLS from the SVID expecting its SPIFFE ID. */
    @Bean
    HttpClientCustomizer workloadUpstreamTls(GatewayProperties properties, ObjectProvider<WorkloadTls> workload) {
        WorkloadTls tls = workload.getIfAvailable();
        if (tls == null) {
            return client -> client;
        }
        return new WorkloadUpstreamTls(ReactorNettyTls.forClient(tls.clientContext(properties.upstreamSpiffeId())),
                properties.upstreamSpiffeId());
    }

    /**
     * The credential the upstream gets in place of the caller's token: a user-context JWT (default), or
     * the caller's token exchanged at the STS ({@code token-exchange.*}; TLS from the SVID expecting
     * {@code token-exchange.sts-spiffe-id}, else the {@code client} SSL bundle, else the JDK defaults).
     */
    @Bean
    GatewayFilter upstreamCredentialFilter(GatewayProperties properties, SslBundles bundles, Clock clock,
            ObjectProvider<WorkloadTls> workload, MeterRegistry meters) {
        if (properties.upstreamCredential() == GatewayProperties.UpstreamCredential.TOKEN_EXCHANGE) {
            GatewayProperties.TokenExchange settings = properties.tokenExchange();
            WorkloadTls tls = workload.getIfAvailable();
            SSLContext toSts = tls != null ? tls.clientContext(settings.stsSpiffeId()) : OutboundHttp.jdkSslContext(bundles);
            return new TokenExchangeFilter(StsTokenExchange.create(settings, toSts, meters), meters);
        }
        ECKey key = UserContextSigner.loadOrGenerate(properties.userContext().keyFile());
        UserContextSigner signer = new UserContextSigner(key, properties.userContext().issuer(),
                properties.userContext().lifetime(), clock);
        return new UserContextFilter(signer, properties.userContext().audience());
    }

    @Bean
    IdentityHeaders identityHeaders() {
        return new IdentityHeaders();
    }

    /** The one route: {@code route.path-prefix}[/**] → {@code route.uri} + {@code route.upstream-path}[/**]. */
    @Bean
    RouteLocator upstreamRoute(RouteLocatorBuilder routes, GatewayProperties properties,
            GatewayFilter upstreamCredentialFilter) {
        GatewayProperties.Route route = properties.route();
        String prefix = route.pathPrefix();
        String upstreamPath = route.upstreamPath();
        return routes.routes()
                .route(route.id(), r -> r.path(prefix, prefix + "/**")
                        .filters(f -> f.rewritePath("^" + Pattern.quote(prefix) + "(?<rest>/.*)?$", upstreamPath + "${rest}")
                                // the route maps the prefix to the upstream path; map the service's Location back
                                .rewriteResponseHeader("Location", "^" + Pattern.quote(upstreamPath), prefix)
                                .filter(upstreamCredentialFilter)
                                .removeResponseHeader("Server")
                                .removeResponseHeader("X-Powered-By"))
                        .uri(properties.upstreamUri()))
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
            BearerErrorRenderer errors, GatewayProperties properties, MeterRegistry meters,
            ObjectProvider<GatewayPolicy> policy) {
        GatewayProperties.Route route = properties.route();
        ScopeRules rules = ScopeRules.forRoute(route.id(), route.pathPrefix(), route.readScope(), route.writeScope(),
                route.deleteScope());
        // the policy stage (Cedar / OPA) runs right after the scope check, before the throttle and the route
        policy.ifAvailable(stage -> http.addFilterAfter(stage.webFilter(), SecurityWebFiltersOrder.AUTHORIZATION));
        return stateless(http)
                .authorizeExchange(exchanges -> exchanges
                        // actuator only on the management port, even when no separate port is configured
                        .pathMatchers("/actuator", "/actuator/**").denyAll()
                        .anyExchange().access(new ScopeAuthorizationManager(rules, meters)))
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
