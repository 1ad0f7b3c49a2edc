package dev.bulwark.sts.password;

import org.springframework.security.oauth2.core.AuthorizationGrantType;

/** The resource owner password credentials grant (RFC 6749 §4.3), legacy, enabled per client. */
public final class PasswordGrant {

    public static final AuthorizationGrantType TYPE = new AuthorizationGrantType("password");

    private PasswordGrant() {
    }
}
