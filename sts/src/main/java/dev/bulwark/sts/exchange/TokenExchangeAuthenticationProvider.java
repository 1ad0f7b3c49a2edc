package dev.bulwark.sts.exchange;

import java.util.Map;
import java.util.Set;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * RFC 8693 token exchange: the client must have the grant and a policy; the audience must be one of its
 * targets ({@code invalid_target}); the subject token must verify against a trusted issuer and be
 * addressed to the client's {@code subject-audience} ({@code invalid_grant}); at least one target scope
 * must be grantable ({@code invalid_scope}). Issues a token per {@link DelegatedTokenIssuer};
 * the response's {@code issued_token_type} is the access-token URN (§2.2.1).
 */
public final class TokenExchangeAuthenticationProvider implements AuthenticationProvider {

    private final Map<String, ExchangePolicy> policies;
    private final SubjectTokenVerifier verifier;
    private final DelegatedTokenIssuer issuer;
    private final ExchangeOutcomes outcomes;

    TokenExchangeAuthenticationProvider(Map<String, ExchangePolicy> policies, SubjectTokenVerifier verifier,
            DelegatedTokenIssuer issuer, ExchangeOutcomes outcomes) {
        this.policies = Map.copyOf(policies);
        this.verifier = verifier;
        this.issuer = issuer;
        this.outcomes = outcomes;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return TokenExchangeAuthenticationToken.class.isAssignableFrom(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        TokenExchangeAuthenticationToken request = (TokenExchangeAuthenticationToken) authentication;
        OAuth2ClientAuthenticationToken principal = (OAuth2ClientAuthenticationToken) request.getPrincipal();
        RegisteredClient client = principal.getRegisteredClient();
        String clientId = client == null ? "-" : client.getClientId();
        ExchangePolicy policy = policies.get(clientId);
        String audienceLabel = policy != null && policy.target(request.audience()) != null ? request.audience() : "other";
        VerifiedToken subject = null;
        try {
            if (client == null || !client.getAuthorizationGrantTypes().contains(DelegationGrants.TOKEN_EXCHANGE)
                    || policy == null || policy.subjectAudience() == null) {
                throw new GrantRefusedException(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "grant_not_allowed");
            }
            ExchangePolicy.Target target = policy.target(request.audience());
            if (target == null) {
                throw new GrantRefusedException(GrantRefusedException.INVALID_TARGET, "audience_not_a_target");
            }
            String token = request.subjectToken();
            if (token == null) {
                throw new GrantRefusedException(OAuth2ErrorCodes.INVALID_REQUEST, "missing_subject_token");
            }
            VerifiedToken verified = verifier.verify(token, DelegationGrants.TOKEN_EXCHANGE_NAME);
            subject = verified;
            if (!verified.audiences().contains(policy.subjectAudience())) {
                throw SubjectTokenVerifier.refused("subject_not_for_client");
            }
            Set<String> scopes = target.grant(request.scopes(), verified.scopes());
            if (scopes.isEmpty()) {
                throw new GrantRefusedException(OAuth2ErrorCodes.INVALID_SCOPE, "no_grantable_scope");
            }
            OAuth2AccessToken issued = issuer.issue(client, verified, target.audience(), scopes);
            outcomes.record(DelegationGrants.TOKEN_EXCHANGE_NAME, clientId, audienceLabel, "issued", "-",
                    verified.issuer(), verified.subject());
            return new OAuth2AccessTokenAuthenticationToken(client, principal, issued, null,
                    Map.of("issued_token_type", DelegationGrants.ACCESS_TOKEN_TYPE));
        } catch (OAuth2AuthenticationException e) {
            outcomes.record(DelegationGrants.TOKEN_EXCHANGE_NAME, clientId, audienceLabel, e.getError().getErrorCode(),
                    e instanceof GrantRefusedException r ? r.reason() : "-",
                    subject == null ? "-" : subject.issuer(), subject == null ? "-" : subject.subject());
            throw e;
        }
    }
}
