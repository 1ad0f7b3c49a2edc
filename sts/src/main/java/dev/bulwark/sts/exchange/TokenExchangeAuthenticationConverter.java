package dev.bulwark.sts.exchange;

import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.authentication.AuthenticationConverter;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads an RFC 8693 §2.1 request: {@code subject_token}, {@code subject_token_type} (jwt or access_token
 * URN), exactly one {@code audience} (or one {@code resource} when there is no audience), optional
 * {@code scope}. An {@code actor_token} is refused: the actor is always the authenticated client.
 */
public final class TokenExchangeAuthenticationConverter implements AuthenticationConverter {

    private static final Set<String> SUBJECT_TOKEN_TYPES = Set.of(DelegationGrants.JWT_TOKEN_TYPE,
            DelegationGrants.ACCESS_TOKEN_TYPE);

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        if (!DelegationGrants.TOKEN_EXCHANGE.getValue().equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))) {
            return null;
        }
        Authentication client = FormParameters.clientPrincipal();
        if (request.getParameterValues(OAuth2ParameterNames.ACTOR_TOKEN) != null
                || request.getParameterValues(OAuth2ParameterNames.ACTOR_TOKEN_TYPE) != null) {
            throw new GrantRefusedException(OAuth2ErrorCodes.INVALID_REQUEST, "actor_token_not_supported");
        }
        String subjectToken = FormParameters.required(request, OAuth2ParameterNames.SUBJECT_TOKEN);
        String type = FormParameters.required(request, OAuth2ParameterNames.SUBJECT_TOKEN_TYPE);
        if (!SUBJECT_TOKEN_TYPES.contains(type)) {
            throw new GrantRefusedException(OAuth2ErrorCodes.INVALID_REQUEST, "unsupported_subject_token_type");
        }
        String audience = FormParameters.optional(request, OAuth2ParameterNames.AUDIENCE);
        if (audience == null) {
            audience = FormParameters.optional(request, OAuth2ParameterNames.RESOURCE);
        }
        if (audience == null) {
            throw new GrantRefusedException(OAuth2ErrorCodes.INVALID_REQUEST, "missing_audience");
        }
        return new TokenExchangeAuthenticationToken(client, subjectToken, audience, FormParameters.scopes(request));
    }
}
