package dev.bulwark.order.downstream;

import java.util.Objects;
import java.util.Set;

import dev.bulwark.securitykit.jwt.TokenClient;
import dev.bulwark.securitykit.jwt.TokenRequestException;

/** {@link StsTokens} over security-kit's caching {@link TokenClient}; a refusal becomes a {@link DownstreamException}. */
final class TokenClientStsTokens implements StsTokens {

    private final String component;
    private final TokenClient client;

    TokenClientStsTokens(String component, TokenClient client) {
        this.component = Objects.requireNonNull(component, "component");
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public String exchange(String subjectToken, String audience, Set<String> scopes) {
        try {
            return client.exchange(subjectToken, audience, scopes).accessToken();
        }
        catch (TokenRequestException ex) {
            throw new DownstreamException(component, "token_exchange", reason(ex), ex);
        }
    }

    @Override
    public String jwtBearer(String assertion, String audience, Set<String> scopes) {
        try {
            return client.jwtBearer(assertion, audience, scopes).accessToken();
        }
        catch (TokenRequestException ex) {
            throw new DownstreamException(component, "jwt_bearer", reason(ex), ex);
        }
    }

    private static String reason(TokenRequestException ex) {
        return ex.status() == 0 ? ex.error() : ex.error() + "/status_" + ex.status();
    }
}
