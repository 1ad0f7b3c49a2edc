package dev.bulwark.sts.password;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.authentication.AuthenticationConverter;

import jakarta.servlet.http.HttpServletRequest;

/** Reads {@code grant_type=password}, {@code username}, {@code password}, {@code scope} from a token request. */
public final class PasswordGrantAuthenticationConverter implements AuthenticationConverter {

    private static final String USERNAME = "username";
    private static final String PASSWORD = "password";
    private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc6749#section-5.2";

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        if (!PasswordGrant.TYPE.getValue().equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))) {
            return null;
        }
        Authentication clientPrincipal = SecurityContextHolder.getContext().getAuthentication();
        String username = single(request, USERNAME);
        String password = single(request, PASSWORD);
        String scope = optional(request, OAuth2ParameterNames.SCOPE);
        Set<String> scopes = scope == null ? Set.of()
                : new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+")));
        Map<String, Object> additional = new HashMap<>();
        request.getParameterMap().forEach((k, v) -> {
            if (!Set.of(OAuth2ParameterNames.GRANT_TYPE, USERNAME, PASSWORD,
                    OAuth2ParameterNames.SCOPE, OAuth2ParameterNames.CLIENT_ID, OAuth2ParameterNames.CLIENT_SECRET)
                    .contains(k)) {
                additional.put(k, v.length == 1 ? v[0] : v);
            }
        });
        if (clientPrincipal == null) {
            throw invalidRequest(OAuth2ParameterNames.CLIENT_ID);
        }
        return new PasswordGrantAuthenticationToken(clientPrincipal, username, password, scopes, additional);
    }

    private static String single(HttpServletRequest request, String name) {
        String value = optional(request, name);
        if (value == null || value.isEmpty()) {
            throw invalidRequest(name);
        }
        return value;
    }

    private static @Nullable String optional(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        if (values == null) {
            return null;
        }
        if (values.length != 1) {
            throw invalidRequest(name);
        }
        return values[0];
    }

    private static OAuth2AuthenticationException invalidRequest(String parameter) {
        return new OAuth2AuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, "OAuth 2.0 Parameter: " + parameter, ERROR_URI));
    }
}
