package dev.bulwark.securitykit.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.TestCa;
import dev.bulwark.securitykit.trace.TraceHeaders;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenClientTests {

    private static final String ORDER = "spiffe://ecomm.local/order";
    private static final String OK = """
            {"access_token":"issued-1","issued_token_type":"urn:ietf:params:oauth:token-type:access_token",
             "token_type":"Bearer","expires_in":300,"scope":"inventory:write"}""";

    private final TestCa ca = TestCa.create("ecomm");
    private final MutableSvidSupplier orderSvids = ca.supplier("order");
    private final StubTokenEndpoint sts;
    private final MutableClock clock = new MutableClock();
    private final Tokens gateway = new Tokens("bulwark-gateway", "gw-1");
    private final TokenClient client;

    TokenClientTests() throws Exception {
        sts = new StubTokenEndpoint(ca.supplier("sts"), ORDER);
        client = TokenClient.builder(sts.uri("/oauth2/token"), "order-service", toSts()).clock(clock).build();
    }

    @AfterEach
    void stop() {
        sts.close();
    }

    @Test
    void exchangeWhenStsIssuesThenFormOverMtlsAndToken() {
        sts.answer(200, OK);
        String subject = userToken("peter");

        IssuedToken token = client.exchange(subject, "inventory-service", Set.of("inventory:write"));

        assertThat(token.accessToken()).isEqualTo("issued-1");
        assertThat(token.scopes()).containsExactly("inventory:write");
        assertThat(token.issuedTokenType()).isEqualTo(TokenClient.TOKEN_TYPE_ACCESS_TOKEN);
        assertThat(token.expiresAt()).isEqualTo(clock.instant().plusSeconds(300));
        assertThat(token.toString()).doesNotContain("issued-1");
        StubTokenEndpoint.Request request = sts.requests.get(0);
        assertThat(request.path()).isEqualTo("/oauth2/token");
        assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.peerSpiffeId()).isEqualTo(ORDER);
        assertThat(request.form()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "grant_type", TokenClient.TOKEN_EXCHANGE,
                "client_id", "order-service",
                "subject_token", subject,
                "subject_token_type", TokenClient.TOKEN_TYPE_JWT,
                "audience", "inventory-service",
                "scope", "inventory:write"));
    }

    @Test
    void exchangeWhenTraceHeadersInstalledThenTheStsJoinsTheCallersTrace() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        TraceHeaders.Source current = header -> header.accept("traceparent", traceparent);
        TraceHeaders.install(current);
        try {
            sts.answer(200, OK);
            client.exchange(userToken("peter"), "inventory-service", Set.of());
            client.exchangeAsync(userToken("nuwan"), "inventory-service", Set.of()).join();
        } finally {
            TraceHeaders.uninstall(current);
        }

        assertThat(sts.requests).extracting(StubTokenEndpoint.Request::traceparent).containsExactly(traceparent, traceparent);
    }

    @Test
    void exchangeWhenNoTraceHeadersThenNoTraceparent() {
        sts.answer(200, OK);

        client.exchange(userToken("peter"), "inventory-service", Set.of());

        assertThat(sts.requests.get(0).traceparent()).isEqualTo("null");
    }

    @Test
    void exchangeWhenOpaqueSubjectThenAccessTokenType() {
        sts.answer(200, OK);

        client.exchange("opaque", "inventory-service", Set.of());

        assertThat(sts.requests.get(0).form()).containsEntry("subject_token_type", TokenClient.TOKEN_TYPE_ACCESS_TOKEN)
                .doesNotContainKey("scope");
    }

    @Test
    void exchangeWhenSameUserWithAFreshTokenThenCacheHit() {
        sts.answer(200, OK);

        IssuedToken first = client.exchange(userToken("peter"), "inventory-service", Set.of("inventory:write"));
        IssuedToken second = client.exchange(userToken("peter"), "inventory-service", Set.of("inventory:write"));

        assertThat(second).isEqualTo(first);
        assertThat(sts.requests).hasSize(1);
        assertThat(client.cacheHits()).isEqualTo(1);
        assertThat(client.cacheMisses()).isEqualTo(1);
    }

    @Test
    void exchangeWhenAnotherUserAudienceOrScopeThenCacheMiss() {
        sts.answer(200, OK);

        client.exchange(userToken("peter"), "inventory-service", Set.of("inventory:write"));
        client.exchange(userToken("paul"), "inventory-service", Set.of("inventory:write"));
        client.exchange(userToken("peter"), "delivery-service", Set.of("inventory:write"));
        client.exchange(userToken("peter"), "inventory-service", Set.of("inventory:read"));

        assertThat(sts.requests).hasSize(4);
        assertThat(client.cacheHits()).isZero();
        assertThat(client.cacheMisses()).isEqualTo(4);
    }

    @Test
    void exchangeWhenWithin30SecondsOfExpiryThenFetchedAgain() {
        sts.answer(200, OK);
        client.exchange(userToken("peter"), "inventory-service", Set.of());

        clock.advance(Duration.ofSeconds(269));
        client.exchange(userToken("peter"), "inventory-service", Set.of());
        assertThat(sts.requests).hasSize(1);

        clock.advance(Duration.ofSeconds(2));
        client.exchange(userToken("peter"), "inventory-service", Set.of());
        assertThat(sts.requests).hasSize(2);
    }

    @Test
    void exchangeWhenStsRefusesThenStatusAndErrorWithoutToken() {
        sts.answer(400, "{\"error\":\"invalid_grant\",\"error_description\":\"subject token expired\"}");
        String subject = userToken("peter");

        assertThatThrownBy(() -> client.exchange(subject, "inventory-service", Set.of()))
                .isInstanceOfSatisfying(TokenRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("invalid_grant");
                    assertThat(e.getMessage()).contains("invalid_grant").doesNotContain(subject);
                });
    }

    @Test
    void exchangeWhenRefusedThenNothingIsCached() {
        sts.answer(400, "{\"error\":\"invalid_target\"}");
        assertThatThrownBy(() -> client.exchange(userToken("peter"), "x", Set.of())).isInstanceOf(TokenRequestException.class);
        sts.answer(200, OK);

        client.exchange(userToken("peter"), "x", Set.of());

        assertThat(sts.requests).hasSize(2);
    }

    @Test
    void exchangeWhen401WithoutBodyThenInvalidClient() {
        sts.answer(401, "");

        assertThatThrownBy(() -> client.exchange(userToken("peter"), "inventory-service", Set.of()))
                .isInstanceOfSatisfying(TokenRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.error()).isEqualTo("invalid_client");
                });
    }

    @Test
    void exchangeWhenResponseIsNotATokenThenInvalidResponse() {
        sts.answer(200, "<html>hello</html>");
        assertThatThrownBy(() -> client.exchange(userToken("peter"), "inventory-service", Set.of()))
                .isInstanceOfSatisfying(TokenRequestException.class,
                        e -> assertThat(e.error()).isEqualTo(TokenRequestException.INVALID_RESPONSE));

        sts.answer(200, "{\"access_token\":\"t\",\"token_type\":\"DPoP\",\"expires_in\":60}");
        assertThatThrownBy(() -> client.exchange(userToken("peter"), "inventory-service", Set.of()))
                .isInstanceOfSatisfying(TokenRequestException.class,
                        e -> assertThat(e.error()).isEqualTo(TokenRequestException.INVALID_RESPONSE));
    }

    @Test
    void exchangeWhenStsIsDownThenUnavailable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TokenClient down = TokenClient.create(URI.create("https://localhost:" + port + "/oauth2/token"), "order-service",
                toSts());

        assertThatThrownBy(() -> down.exchange(userToken("peter"), "inventory-service", Set.of()))
                .isInstanceOfSatisfying(TokenRequestException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.error()).isEqualTo(TokenRequestException.UNAVAILABLE);
                });
    }

    @Test
    void exchangeWhenStsPresentsAnotherSpiffeIdThenUnavailable() {
        SSLContext expectsOther = SpiffeTls.clientContext(orderSvids, SpiffeIdPolicy.oneOf("spiffe://ecomm.local/other"),
                (reason, id) -> { });
        TokenClient wrong = TokenClient.create(sts.uri("/oauth2/token"), "order-service", expectsOther);

        assertThatThrownBy(() -> wrong.exchange(userToken("peter"), "inventory-service", Set.of()))
                .isInstanceOfSatisfying(TokenRequestException.class,
                        e -> assertThat(e.error()).isEqualTo(TokenRequestException.UNAVAILABLE));
        assertThat(sts.requests).isEmpty();
    }

    @Test
    void jwtBearerWhenStsIssuesThenAssertionGrant() {
        sts.answer(200, OK);
        Tokens ecommSts = new Tokens("https://localhost:9443", "sts-1");
        String assertion = ecommSts.exchanged("peter", "https://localhost:9444", "delivery:write", "order-service",
                Map.of("sub", ORDER));

        IssuedToken token = client.jwtBearer(assertion, "delivery-service", Set.of("delivery:write"));
        IssuedToken again = client.jwtBearer(ecommSts.exchanged("peter", "https://localhost:9444", "delivery:write",
                "order-service", Map.of("sub", ORDER)), "delivery-service", Set.of("delivery:write"));

        assertThat(again).isEqualTo(token);
        assertThat(sts.requests).hasSize(1);
        assertThat(sts.requests.get(0).form()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "grant_type", TokenClient.JWT_BEARER,
                "client_id", "order-service",
                "assertion", assertion,
                "audience", "delivery-service",
                "scope", "delivery:write"));
    }

    @Test
    void exchangeAsyncWhenStsIssuesThenTokenAndThenCacheHit() {
        sts.answer(200, OK);

        IssuedToken first = client.exchangeAsync(userToken("peter"), "inventory-service", Set.of("inventory:write")).join();
        IssuedToken second = client.exchangeAsync(userToken("peter"), "inventory-service", Set.of("inventory:write")).join();

        assertThat(first.accessToken()).isEqualTo("issued-1");
        assertThat(second).isEqualTo(first);
        assertThat(sts.requests).hasSize(1);
        assertThat(client.cacheHits()).isEqualTo(1);
    }

    @Test
    void exchangeAsyncWhenStsRefusesThenFailsWithTheOAuthError() {
        sts.answer(400, "{\"error\":\"invalid_target\"}");

        assertThat(client.exchangeAsync(userToken("peter"), "nowhere", Set.of()))
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableThat()
                .havingRootCause()
                .isInstanceOfSatisfying(TokenRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("invalid_target");
                });
    }

    @Test
    void jwtBearerAsyncWhenStsIsDownThenUnavailable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TokenClient down = TokenClient.create(URI.create("https://localhost:" + port + "/oauth2/token"), "order-service",
                toSts());

        assertThat(down.jwtBearerAsync(userToken("peter"), null, Set.of()))
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(TokenRequestException.class,
                        e -> assertThat(e.error()).isEqualTo(TokenRequestException.UNAVAILABLE));
    }

    @Test
    void createWhenTokenUriIsPlainHttpThenRefused() {
        assertThatThrownBy(() -> TokenClient.create(URI.create("http://localhost/oauth2/token"), "c", toSts()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    }

    private SSLContext toSts() {
        return SpiffeTls.clientContext(orderSvids, SpiffeIdPolicy.oneOf("spiffe://ecomm.local/sts"), (reason, id) -> { });
    }

    private String userToken(String user) {
        return gateway.sign(c -> c.subject(user).audience("order-service").claim("scope", "orders:write"));
    }
}
