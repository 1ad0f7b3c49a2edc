package dev.bulwark.gateway.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Set;

import dev.bulwark.securitykit.jwt.IssuedToken;
import dev.bulwark.securitykit.jwt.TokenRequestException;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class StsTokenExchangeTests {

    @Test
    void exchangeWhenIssuedThenTheIssuedTokenOnly() {
        StsTokenExchange exchange = new StsTokenExchange(subject -> new IssuedToken("exchanged",
                "urn:ietf:params:oauth:token-type:access_token", Set.of("delivery:write"), Instant.now().plusSeconds(300)));

        StepVerifier.create(exchange.exchange("incoming")).expectNext("exchanged").verifyComplete();
    }

    @Test
    void exchangeWhenInvalidGrantThenRefused() {
        assertFailure(new TokenRequestException(400, "invalid_grant", "refused"), TokenExchangeFailure.Kind.REFUSED,
                "invalid_grant");
    }

    @Test
    void exchangeWhenInvalidScopeThenInsufficientScope() {
        assertFailure(new TokenRequestException(400, "invalid_scope", "refused"),
                TokenExchangeFailure.Kind.INSUFFICIENT_SCOPE, "invalid_scope");
    }

    @Test
    void exchangeWhenGatewayMisconfiguredAtTheStsThenUnavailable() {
        assertFailure(new TokenRequestException(400, "invalid_target", "refused"),
                TokenExchangeFailure.Kind.UNAVAILABLE, "invalid_target");
        assertFailure(new TokenRequestException(401, "invalid_client", "refused"),
                TokenExchangeFailure.Kind.UNAVAILABLE, "invalid_client");
    }

    @Test
    void exchangeWhenStsUnreachableThenUnavailable() {
        assertFailure(new TokenRequestException(0, TokenRequestException.UNAVAILABLE, "connect refused"),
                TokenExchangeFailure.Kind.UNAVAILABLE, "unreachable");
        assertFailure(new UncheckedIOException(new IOException("reset")), TokenExchangeFailure.Kind.UNAVAILABLE,
                "unreachable");
    }

    private static void assertFailure(RuntimeException thrown, TokenExchangeFailure.Kind kind, String error) {
        StsTokenExchange exchange = new StsTokenExchange(subject -> {
            throw thrown;
        });
        StepVerifier.create(exchange.exchange("incoming"))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(TokenExchangeFailure.class);
                    assertThat(((TokenExchangeFailure) e).kind()).isEqualTo(kind);
                    assertThat(((TokenExchangeFailure) e).error()).isEqualTo(error);
                    assertThat(e.getMessage()).doesNotContain("incoming");
                })
                .verify();
    }
}
