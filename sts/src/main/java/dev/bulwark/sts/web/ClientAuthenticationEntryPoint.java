package dev.bulwark.sts.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A request to a client endpoint (token, introspection, revocation) without client credentials gets
 * RFC 6749 §5.2 {@code invalid_client} with 401 and a Basic challenge; the user-info endpoint, which
 * takes a bearer token, gets the RFC 6750 challenge.
 */
final class ClientAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final AuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException authException)
            throws IOException, jakarta.servlet.ServletException {
        if (request.getRequestURI().endsWith("/userinfo")) {
            bearer.commence(request, response, authException);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"bulwark-sts\"");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write("{\"error\":\"invalid_client\"}".getBytes(StandardCharsets.UTF_8));
    }
}
