package dev.bulwark.sts.exchange;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;

import jakarta.servlet.http.HttpServletRequest;

/** Reading token-request parameters: each at most once (RFC 6749 §3.2), missing required ones are {@code invalid_request}. */
final class FormParameters {

    private FormParameters() {
    }

    static String required(HttpServletRequest request, String name) {
        String value = optional(request, name);
        if (value == null || value.isBlank()) {
            throw new GrantRefusedException(OAuth2ErrorCodes.INVALID_REQUEST, "missing_" + name);
        }
        return value;
    }

    static @Nullable String optional(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        if (values == null || values.length == 0) {
            return null;
        }
        if (values.length != 1) {
            throw new GrantRefusedException(OAuth2ErrorCodes.INVALID_REQUEST, "repeated_" + name);
        }
        return values[0].isBlank() ? null : values[0];
    }

    /** The {@code scope} parameter as a set, or null when absent (meaning: every scope the policy allows). */
    static @Nullable Set<String> scopes(HttpServletRequest request) {
        String scope = optional(request, "scope");
        return scope == null ? null : new LinkedHashSet<>(Arrays.asList(scope.strip().split("\\s+")));
    }

    static Authentication clientPrincipal() {
        Authentication principal = SecurityContextHolder.getContext().getAuthentication();
        if (!(principal instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()) {
            throw new GrantRefusedException(OAuth2ErrorCodes.INVALID_CLIENT, "not_authenticated");
        }
        return principal;
    }
}
