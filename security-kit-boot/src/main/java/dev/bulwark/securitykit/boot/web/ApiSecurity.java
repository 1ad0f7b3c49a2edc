package dev.bulwark.securitykit.boot.web;

import java.util.Objects;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.resource.OAuth2ResourceServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The two security filter chains of a stateless bearer-token API (RFC 6750): no session, no CSRF token, no
 * request cache, no login form, HTTP Basic or logout. A service declares them as its own beans, so that it keeps
 * the {@code @Order} and the {@code @ConditionalOnManagementPort} on the management chain. The actuator's
 * endpoints are passed in as a matcher ({@code EndpointRequest.toAnyEndpoint()}) so that this module does not
 * bring Spring Boot's security auto-configuration to components that do not use Spring Security.
 */
public final class ApiSecurity {

    private ApiSecurity() {
    }

    /**
     * The actuator endpoints on their own management port, open to every caller: the launcher binds that port
     * to the loopback interface and exposes health and prometheus only. Declare it only when the management
     * port differs from the API port ({@code @ConditionalOnManagementPort(ManagementPortType.DIFFERENT)}) and
     * before the {@link #apiChain API chain}, which denies the endpoints on the API port.
     */
    public static SecurityFilterChain managementChain(HttpSecurity http, RequestMatcher endpoints) throws Exception {
        return http.securityMatcher(Objects.requireNonNull(endpoints, "endpoints"))
            .authorizeHttpRequests(a -> a.anyRequest().permitAll())
            .csrf(AbstractHttpConfigurer::disable)
            .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache(AbstractHttpConfigurer::disable)
            .build();
    }

    /**
     * The API: the service's {@code rules} first, then the actuator endpoints denied, {@code /error} open and
     * every other request authenticated. Authentication and authorization failures are handed to the
     * {@code resolver} (the {@code handlerExceptionResolver}), so that the one API error renderer
     * ({@link AbstractApiErrorHandler}) writes them.
     *
     * @param endpoints the actuator's endpoints, {@code EndpointRequest.toAnyEndpoint()}
     * @param rules the service's own request matchers, e.g.
     *        {@code a -> a.requestMatchers(HttpMethod.GET, "/orders/*").hasAuthority("SCOPE_orders:read")}
     * @param tokens how bearer tokens are verified, e.g. {@code o -> o.jwt(j -> { })} or
     *        {@code o -> o.authenticationManagerResolver(eastWest)}
     */
    public static SecurityFilterChain apiChain(HttpSecurity http, HandlerExceptionResolver resolver,
            RequestMatcher endpoints,
            Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry> rules,
            Customizer<OAuth2ResourceServerConfigurer<HttpSecurity>> tokens) throws Exception {
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(tokens, "tokens");
        AuthenticationEntryPoint entryPoint = (request, response, ex) -> resolver.resolveException(request,
                response, null, ex);
        AccessDeniedHandler deniedHandler = (request, response, ex) -> resolver.resolveException(request,
                response, null, ex);
        return http
            .authorizeHttpRequests(a -> {
                rules.customize(a);
                a.requestMatchers(endpoints).denyAll()
                    .requestMatchers("/error").permitAll()
                    .anyRequest().authenticated();
            })
            .oauth2ResourceServer(o -> {
                o.authenticationEntryPoint(entryPoint).accessDeniedHandler(deniedHandler);
                tokens.customize(o);
            })
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
