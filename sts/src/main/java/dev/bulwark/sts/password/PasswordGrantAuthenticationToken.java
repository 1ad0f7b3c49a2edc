package dev.bulwark.sts.password;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;

/** A token request with {@code grant_type=password} (RFC 6749 §4.3.2), after client authentication. */
public final class PasswordGrantAuthenticationToken extends OAuth2AuthorizationGrantAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final String username;
    private @Nullable String password;
    private final Set<String> scopes;

    PasswordGrantAuthenticationToken(Authentication clientPrincipal, String username, String password, Set<String> scopes,
            Map<String, Object> additionalParameters) {
        super(PasswordGrant.TYPE, clientPrincipal, additionalParameters);
        this.username = username;
        this.password = password;
        this.scopes = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(scopes));
    }

    String getUsername() {
        return username;
    }

    @Nullable String getPassword() {
        return password;
    }

    Set<String> getScopes() {
        return scopes;
    }

    @Override
    public void eraseCredentials() {
        super.eraseCredentials();
        password = null;
    }
}
