package dev.bulwark.sts.exchange;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;

/** A token request with {@code grant_type=urn:ietf:params:oauth:grant-type:token-exchange} (RFC 8693 §2.1), after client authentication. */
public final class TokenExchangeAuthenticationToken extends OAuth2AuthorizationGrantAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private @Nullable String subjectToken;
    private final String audience;
    private final @Nullable Set<String> scopes;

    TokenExchangeAuthenticationToken(Authentication clientPrincipal, String subjectToken, String audience,
            @Nullable Set<String> scopes) {
        super(DelegationGrants.TOKEN_EXCHANGE, clientPrincipal, Map.of());
        this.subjectToken = subjectToken;
        this.audience = audience;
        this.scopes = scopes == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
    }

    @Nullable String subjectToken() {
        return subjectToken;
    }

    String audience() {
        return audience;
    }

    /** The requested scopes, or null when the request named none. */
    @Nullable Set<String> scopes() {
        return scopes;
    }

    @Override
    public void eraseCredentials() {
        super.eraseCredentials();
        subjectToken = null;
    }
}
