package dev.bulwark.sts.token;

import java.io.IOException;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Counts tokens issued, by grant type ({@code bulwark_sts_tokens_issued_total{grant_type=...}}), then writes the response. */
public final class IssuedTokenCounter implements AuthenticationSuccessHandler {

    private static final Set<String> KNOWN = Set.of("client_credentials", "password", "refresh_token",
            "authorization_code", "urn:ietf:params:oauth:grant-type:token-exchange",
            "urn:ietf:params:oauth:grant-type:jwt-bearer");

    private final AuthenticationSuccessHandler delegate = new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
    private final MeterRegistry registry;

    public IssuedTokenCounter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException, ServletException {
        String grant = request.getParameter("grant_type");
        Counter.builder("bulwark.sts.tokens.issued").description("Access tokens issued, by grant type")
                .tag("grant_type", grant != null && KNOWN.contains(grant) ? grant : "other")
                .register(registry).increment();
        delegate.onAuthenticationSuccess(request, response, authentication);
    }
}
