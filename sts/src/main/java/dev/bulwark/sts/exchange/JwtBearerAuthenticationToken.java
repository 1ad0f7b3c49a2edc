package dev.bulwark.sts.exchange;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;

/** A token request with {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} (RFC 7523 §2.1), after client authentication. */
public final class JwtBearerAuthenticationToken extends OAuth2AuthorizationGrantAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private @Nullable String assertion;
    private final @Nullable String audience;
    private final @Nullable Set<String> scopes;

    JwtBearerAuthenticationToken(Authentication clientPrincipal, String assertion, @Nullable String audience,
            @Nullable Set<String> scopes) {
        super(DelegationGrants.JWT_BEARER, clientPrincipal, Map.of());
        this.assertion = assertion;
        this.audience = audience;
        this.scopes = scopes == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
    }

    @Nullable String assertion() {
        return assertion;
    }

    /** The requested audience, or null (then the client's only target). */
    @Nullable String audience() {
        return audience;
    }

    @Nullable Set<String> scopes() {
        return scopes;
    }

    @Override
    public void eraseCredentials() {
        super.eraseCredentials();
        assertion = null;
    }
}
