package dev.bulwark.sts.audit;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;

import dev.bulwark.securitykit.throttle.ClientIpResolver;
import dev.bulwark.sts.throttle.StsThrottleProperties;

/**
 * The authentication event publisher every filter chain's {@code ProviderManager} uses (Spring
 * Security picks the bean up), with a failure event for the OAuth 2.0 exceptions it would otherwise
 * drop, and the listener writing them to the audit log. The client address in the lines is resolved as
 * the throttle does ({@code bulwark.sts.throttle.trusted-proxies}).
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    @Bean
    AuthenticationEventPublisher authenticationEventPublisher(ApplicationEventPublisher events) {
        DefaultAuthenticationEventPublisher publisher = new DefaultAuthenticationEventPublisher(events);
        publisher.setDefaultAuthenticationFailureEvent(AuthenticationFailedEvent.class);
        return publisher;
    }

    @Bean
    AuthenticationAudit authenticationAudit(OAuth2AuthorizationService authorizations,
            StsThrottleProperties throttle) {
        return new AuthenticationAudit(authorizations, ClientIpResolver.trusting(throttle.trustedProxies()));
    }
}
