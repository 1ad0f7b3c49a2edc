package dev.bulwark.sts.exchange;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.authentication.AuthenticationConverter;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads an RFC 7523 §2.1 request: {@code assertion}, optional {@code scope}, optional {@code audience}
 * (or {@code resource}) naming the target when the client has several.
 */
public final class JwtBearerAuthenticationConverter implements AuthenticationConverter {

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        if (!DelegationGrants.JWT_BEARER.getValue().equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))) {
            return null;
        }
        Authentication client = FormParameters.clientPrincipal();
        String assertion = FormParameters.required(request, OAuth2ParameterNames.ASSERTION);
        String audience = FormParameters.optional(request, OAuth2ParameterNames.AUDIENCE);
        if (audience == null) {
            audience = FormParameters.optional(request, OAuth2ParameterNames.RESOURCE);
        }
        return new JwtBearerAuthenticationToken(client, assertion, audience, FormParameters.scopes(request));
    }
}
