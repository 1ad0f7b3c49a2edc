package dev.bulwark.sts.audit;

import java.io.Serial;

import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * A failed authentication that Spring Security has no event type for: every
 * {@code OAuth2AuthenticationException} of the authorization server (bad client secret, wrong user
 * password, bad refresh token). Without it {@code DefaultAuthenticationEventPublisher} drops them.
 */
public final class AuthenticationFailedEvent extends AbstractAuthenticationFailureEvent {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Called reflectively by {@code DefaultAuthenticationEventPublisher}. */
    public AuthenticationFailedEvent(Authentication authentication, AuthenticationException exception) {
        super(authentication, exception);
    }
}
