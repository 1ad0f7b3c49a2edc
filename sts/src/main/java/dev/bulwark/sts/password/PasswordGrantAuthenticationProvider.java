package dev.bulwark.sts.password;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.bulwark.sts.audit.AuditValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Issues tokens for the password grant (RFC 6749 §4.3): client allowed the grant, scopes within the
 * client's, user not locked out, password right; then an access token and, if the client has the
 * refresh_token grant, a refresh token. Every failure about the user is the same {@code invalid_grant}.
 */
public final class PasswordGrantAuthenticationProvider implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(PasswordGrantAuthenticationProvider.class);
    private static final Logger audit = LoggerFactory.getLogger("bulwark.audit");
    private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc6749#section-5.2";

    private final OAuth2AuthorizationService authorizationService;
    private final OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator;
    private final UserDirectory users;
    private final LoginLockout lockout;

    public PasswordGrantAuthenticationProvider(OAuth2AuthorizationService authorizationService,
            OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator, UserDirectory users, LoginLockout lockout) {
        this.authorizationService = authorizationService;
        this.tokenGenerator = tokenGenerator;
        this.users = users;
        this.lockout = lockout;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PasswordGrantAuthenticationToken.class.isAssignableFrom(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        PasswordGrantAuthenticationToken grant = (PasswordGrantAuthenticationToken) authentication;
        OAuth2ClientAuthenticationToken clientPrincipal = authenticatedClient(grant);
        RegisteredClient client = clientPrincipal.getRegisteredClient();
        if (client == null || !client.getAuthorizationGrantTypes().contains(PasswordGrant.TYPE)) {
            throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT);
        }
        Set<String> scopes = grant.getScopes();
        if (!client.getScopes().containsAll(scopes)) {
            throw error(OAuth2ErrorCodes.INVALID_SCOPE);
        }
        String username = grant.getUsername();
        // the user name comes from the request: printable only, so that it cannot forge a log line
        String shown = AuditValues.printable(username);
        if (lockout.isLocked(username)) {
            audit.info("event=login_refused_locked client_id={} username={}", client.getClientId(), shown);
            throw error(OAuth2ErrorCodes.INVALID_GRANT);
        }
        if (!users.authenticate(username, grant.getPassword())) {
            boolean locked = lockout.recordFailure(username);
            log.info("event=sts.login_failed client_id={} username={}", client.getClientId(), shown);
            if (locked) {
                audit.info("event=user_locked client_id={} username={}", client.getClientId(), shown);
            }
            throw error(OAuth2ErrorCodes.INVALID_GRANT);
        }
        lockout.recordSuccess(username);
        grant.eraseCredentials();
        log.info("event=sts.login_succeeded client_id={} username={}", client.getClientId(), shown);

        Authentication user = UsernamePasswordAuthenticationToken.authenticated(username, null,
                List.of(new SimpleGrantedAuthority("ROLE_USER")));
        DefaultOAuth2TokenContext.Builder context = DefaultOAuth2TokenContext.builder()
                .registeredClient(client)
                .principal(user)
                .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                .authorizedScopes(scopes)
                .authorizationGrantType(PasswordGrant.TYPE)
                .authorizationGrant(grant);
        OAuth2Authorization.Builder authorization = OAuth2Authorization.withRegisteredClient(client)
                .principalName(username)
                .authorizationGrantType(PasswordGrant.TYPE)
                .authorizedScopes(scopes)
                .attribute(Principal.class.getName(), user);

        OAuth2TokenContext accessContext = context.tokenType(OAuth2TokenType.ACCESS_TOKEN).build();
        OAuth2Token generated = tokenGenerator.generate(accessContext);
        if (generated == null) {
            throw serverError("access token");
        }
        OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
                generated.getTokenValue(), generated.getIssuedAt(), generated.getExpiresAt(), scopes);
        if (generated instanceof ClaimAccessor claims) {
            authorization.token(accessToken,
                    metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims.getClaims()));
        } else {
            authorization.accessToken(accessToken);
        }

        OAuth2RefreshToken refreshToken = null;
        if (client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)) {
            OAuth2Token generatedRefresh = tokenGenerator.generate(context.tokenType(OAuth2TokenType.REFRESH_TOKEN).build());
            if (!(generatedRefresh instanceof OAuth2RefreshToken rt)) {
                throw serverError("refresh token");
            }
            refreshToken = rt;
            authorization.refreshToken(refreshToken);
        }
        authorizationService.save(authorization.build());
        return new OAuth2AccessTokenAuthenticationToken(client, clientPrincipal, accessToken, refreshToken, Map.of());
    }

    private static OAuth2ClientAuthenticationToken authenticatedClient(Authentication grant) {
        if (grant.getPrincipal() instanceof OAuth2ClientAuthenticationToken client && client.isAuthenticated()) {
            return client;
        }
        throw error(OAuth2ErrorCodes.INVALID_CLIENT);
    }

    private static OAuth2AuthenticationException error(String code) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, null, ERROR_URI));
    }

    private static OAuth2AuthenticationException serverError(String what) {
        return new OAuth2AuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR, "The token generator failed to generate the " + what + ".",
                        ERROR_URI));
    }
}
