package dev.bulwark.sts.exchange;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
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
 * RFC 7523 §2.1 JWT bearer grant: the client must have the grant and a policy; the target is the
 * requested audience, or the client's only target ({@code invalid_request} when it has several and
 * named none, {@code invalid_target} when the named one is not a target). The assertion (§3) must
 * verify against an issuer trusted for {@code jwt-bearer}, name this STS's issuer in {@code aud},
 * expire within an hour and carry a {@code jti} not seen before (else {@code invalid_grant}).
 */
public final class JwtBearerAuthenticationProvider implements AuthenticationProvider {

    static final Duration MAX_ASSERTION_LIFETIME = Duration.ofHours(1);

    private final Map<String, ExchangePolicy> policies;
    private final SubjectTokenVerifier verifier;
    private final DelegatedTokenIssuer issuer;
    private final ReplayCache replays;
    private final ExchangeOutcomes outcomes;
    private final Set<String> ownAudiences;
    private final Clock clock;

    JwtBearerAuthenticationProvider(Map<String, ExchangePolicy> policies, SubjectTokenVerifier verifier,
            DelegatedTokenIssuer issuer, ReplayCache replays, ExchangeOutcomes outcomes, String ownIssuer, Clock clock) {
        this.policies = Map.copyOf(policies);
        this.verifier = verifier;
        this.issuer = issuer;
        this.replays = replays;
        this.outcomes = outcomes;
        // RFC 7523 §3 item 3: the issuer identifier, or the token endpoint URL
        this.ownAudiences = Set.of(ownIssuer, ownIssuer.replaceAll("/+$", "") + "/oauth2/token");
        this.clock = clock;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return JwtBearerAuthenticationToken.class.isAssignableFrom(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        JwtBearerAuthenticationToken request = (JwtBearerAuthenticationToken) authentication;
        OAuth2ClientAuthenticationToken principal = (OAuth2ClientAuthenticationToken) request.getPrincipal();
        RegisteredClient client = principal.getRegisteredClient();
        String clientId = client == null ? "-" : client.getClientId();
        ExchangePolicy policy = policies.get(clientId);
        ExchangePolicy.Target target = policy == null ? null : target(policy, request.audience());
        String audienceLabel = target != null ? target.audience() : "other";
        VerifiedToken assertion = null;
        try {
            if (client == null || !client.getAuthorizationGrantTypes().contains(DelegationGrants.JWT_BEARER)
                    || policy == null) {
                throw new GrantRefusedException(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "grant_not_allowed");
            }
            if (target == null) {
                throw request.audience() == null
                        ? new GrantRefusedException(OAuth2ErrorCodes.INVALID_REQUEST, "audience_required")
                        : new GrantRefusedException(GrantRefusedException.INVALID_TARGET, "audience_not_a_target");
            }
            String jwt = request.assertion();
            if (jwt == null) {
                throw new GrantRefusedException(OAuth2ErrorCodes.INVALID_REQUEST, "missing_assertion");
            }
            VerifiedToken verified = verifier.verify(jwt, DelegationGrants.JWT_BEARER_NAME);
            assertion = verified;
            if (verified.audiences().stream().noneMatch(ownAudiences::contains)) {
                throw SubjectTokenVerifier.refused("assertion_not_for_this_sts");
            }
            if (verified.expiresAt().isAfter(clock.instant().plus(MAX_ASSERTION_LIFETIME).plus(SubjectTokenVerifier.SKEW))) {
                throw SubjectTokenVerifier.refused("assertion_lifetime_too_long");
            }
            String jti = verified.jti();
            if (jti == null || jti.isBlank()) {
                throw SubjectTokenVerifier.refused("missing_jti");
            }
            Set<String> scopes = target.grant(request.scopes(), verified.scopes());
            if (scopes.isEmpty()) {
                throw new GrantRefusedException(OAuth2ErrorCodes.INVALID_SCOPE, "no_grantable_scope");
            }
            // last: a request refused for another reason does not use up the assertion
            replays.firstUse(verified.issuer(), jti, verified.expiresAt());
            OAuth2AccessToken issued = issuer.issue(client, verified, target.audience(), scopes);
            outcomes.record(DelegationGrants.JWT_BEARER_NAME, clientId, audienceLabel, "issued", "-",
                    verified.issuer(), verified.subject());
            return new OAuth2AccessTokenAuthenticationToken(client, principal, issued, null, Map.of());
        } catch (OAuth2AuthenticationException e) {
            outcomes.record(DelegationGrants.JWT_BEARER_NAME, clientId, audienceLabel, e.getError().getErrorCode(),
                    e instanceof GrantRefusedException r ? r.reason() : "-",
                    assertion == null ? "-" : assertion.issuer(), assertion == null ? "-" : assertion.subject());
            throw e;
        }
    }

    private static ExchangePolicy.@Nullable Target target(ExchangePolicy policy, @Nullable String audience) {
        if (audience != null) {
            return policy.target(audience);
        }
        return policy.targets().size() == 1 ? policy.targets().get(0) : null;
    }
}
