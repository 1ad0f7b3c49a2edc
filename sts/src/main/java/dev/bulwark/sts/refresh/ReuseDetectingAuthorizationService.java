package dev.bulwark.sts.refresh;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Refresh-token reuse detection (OAuth 2.0 Security BCP, RFC 9700 §4.14.2) around the JDBC
 * authorization service.
 *
 * <p>With rotation, each refresh replaces the authorization's refresh token. On {@link #save}, the
 * replaced token is recorded as superseded. When a refresh request presents a token that is not
 * current but is recorded as superseded, someone is replaying an old token: either the legitimate
 * client or an attacker holds a stolen copy, and we cannot tell which. So the whole family is
 * revoked: the authorization is removed, which kills the current refresh token and the access token
 * stored with it (introspection then says inactive). The request itself then fails with
 * {@code invalid_grant}, as for any unknown refresh token.
 */
public final class ReuseDetectingAuthorizationService implements OAuth2AuthorizationService {

    private static final Logger log = LoggerFactory.getLogger(ReuseDetectingAuthorizationService.class);
    private static final Logger audit = LoggerFactory.getLogger("bulwark.audit");

    private final OAuth2AuthorizationService delegate;
    private final SupersededRefreshTokens superseded;

    public ReuseDetectingAuthorizationService(OAuth2AuthorizationService delegate, SupersededRefreshTokens superseded) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.superseded = Objects.requireNonNull(superseded, "superseded");
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2RefreshToken> next = authorization.getRefreshToken();
        if (next != null) {
            OAuth2Authorization previous = delegate.findById(authorization.getId());
            OAuth2Authorization.Token<OAuth2RefreshToken> old = previous == null ? null : previous.getRefreshToken();
            if (old != null && !old.getToken().getTokenValue().equals(next.getToken().getTokenValue())) {
                Instant expiresAt = old.getToken().getExpiresAt() != null ? old.getToken().getExpiresAt()
                        : Instant.now().plusSeconds(86_400);
                superseded.record(old.getToken().getTokenValue(), authorization.getId(), expiresAt);
            }
        }
        delegate.save(authorization);
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        delegate.remove(authorization);
    }

    @Override
    public @Nullable OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        OAuth2Authorization found = delegate.findByToken(token, tokenType);
        if (found == null && OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)) {
            Optional<String> family = superseded.findAuthorizationId(token);
            if (family.isPresent()) {
                OAuth2Authorization victim = delegate.findById(family.get());
                if (victim != null) {
                    delegate.remove(victim);
                    log.info("event=sts.refresh_token_reuse_detected action=family_revoked client_registration={}"
                            + " principal={} authorization_id={}", victim.getRegisteredClientId(),
                            victim.getPrincipalName(), victim.getId());
                    audit.info("event=token_revoked reason=refresh_token_reuse client_registration={} sub={}"
                            + " result=family_revoked", victim.getRegisteredClientId(), victim.getPrincipalName());
                } else {
                    log.info("event=sts.refresh_token_reuse_detected action=none_left authorization_id={}", family.get());
                }
            }
        }
        return found;
    }
}
