package dev.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class GatewayPropertiesTests {

    static final GatewayProperties.Route DEFAULT_ROUTE =
            new GatewayProperties.Route("/api/orders", "/orders", "orders:read", "orders:write", null, null, null);
    static final GatewayProperties.TokenExchange NO_EXCHANGE = new GatewayProperties.TokenExchange(null,
            "spiffe://logistics.local/sts", "logistics-gateway", "delivery-service", List.of());

    @Test
    void constructorWhenDefaultsThenValid() {
        GatewayProperties properties = properties(List.of("ES256"), Duration.ofSeconds(10), "bulwark-api", null);
        assertThat(properties.algorithms()).containsExactly("ES256");
        assertThat(properties.upstreamUri()).isEqualTo(URI.create("http://localhost:8081"));
        assertThat(properties.upstreamSpiffeId()).isEqualTo("spiffe://ecomm.local/order");
        assertThat(properties.route().id()).isEqualTo("orders");
        assertThat(properties.upstreamCredential()).isEqualTo(GatewayProperties.UpstreamCredential.USER_CONTEXT);
    }

    @Test
    void constructorWhenSeveralProblemsThenAllListedTogether() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> properties(List.of("none", "HS256"), Duration.ofHours(1), " ",
                        Path.of("/nonexistent/secret")))
                .withMessageContaining("algorithms: none")
                .withMessageContaining("algorithms: HS256")
                .withMessageContaining("introspection-cache-ttl: PT1H")
                .withMessageContaining("audience: blank")
                .withMessageContaining("introspection-client-secret-file: /nonexistent/secret");
    }

    @Test
    void constructorWhenOnlyDeprecatedUpstreamNamesThenTheyAreUsed() {
        GatewayProperties properties = properties(URI.create("https://localhost:9001"), "spiffe://ecomm.local/x",
                DEFAULT_ROUTE, GatewayProperties.UpstreamCredential.USER_CONTEXT, NO_EXCHANGE);
        assertThat(properties.upstreamUri()).isEqualTo(URI.create("https://localhost:9001"));
        assertThat(properties.upstreamSpiffeId()).isEqualTo("spiffe://ecomm.local/x");
    }

    @Test
    void constructorWhenNewAndDeprecatedUpstreamNamesBothSetThenTheNewOneWins() {
        GatewayProperties.Route route = new GatewayProperties.Route("/api/orders", "/orders", "orders:read",
                "orders:write", URI.create("http://localhost:18081"), null, null);
        GatewayProperties properties = properties(URI.create("https://localhost:9001"), "spiffe://ecomm.local/order",
                route, GatewayProperties.UpstreamCredential.USER_CONTEXT, NO_EXCHANGE);
        assertThat(properties.upstreamUri()).isEqualTo(URI.create("http://localhost:18081"));
        assertThat(properties.upstreamSpiffeId()).isEqualTo("spiffe://ecomm.local/order");
    }

    @Test
    void constructorWhenConfiguredRouteThenIdFromPrefix() {
        GatewayProperties.Route route = new GatewayProperties.Route("/api/deliveries", "/deliveries", "delivery:read",
                "delivery:write", URI.create("https://localhost:9002"), "spiffe://logistics.local/delivery", null);
        GatewayProperties properties = properties(null, null, route,
                GatewayProperties.UpstreamCredential.USER_CONTEXT, NO_EXCHANGE);
        assertThat(properties.route().id()).isEqualTo("deliveries");
        assertThat(properties.upstreamSpiffeId()).isEqualTo("spiffe://logistics.local/delivery");
    }

    @Test
    void constructorWhenBadRouteThenEveryProblemListed() {
        GatewayProperties.Route route = new GatewayProperties.Route("api/deliveries/", "/", "delivery read", "",
                URI.create("ftp://x"), "https://not-spiffe", null);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> properties(null, null, route, GatewayProperties.UpstreamCredential.USER_CONTEXT,
                        NO_EXCHANGE))
                .withMessageContaining("route.path-prefix: api/deliveries/")
                .withMessageContaining("route.upstream-path: /")
                .withMessageContaining("route.read-scope: delivery read")
                .withMessageContaining("route.write-scope:  (expected")
                .withMessageContaining("route.uri: ftp://x")
                .withMessageContaining("route.spiffe-id: https://not-spiffe");
    }

    @Test
    void constructorWhenTokenExchangeWithoutTokenUriThenRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> properties(null, null, DEFAULT_ROUTE,
                        GatewayProperties.UpstreamCredential.TOKEN_EXCHANGE, NO_EXCHANGE))
                .withMessageContaining("token-exchange.token-uri: null (expected: the STS token endpoint");
    }

    @Test
    void constructorWhenTokenExchangeCompleteThenValid() {
        GatewayProperties.TokenExchange exchange = new GatewayProperties.TokenExchange(
                URI.create("https://localhost:9444/oauth2/token"), "spiffe://logistics.local/sts", "logistics-gateway",
                "delivery-service", List.of("delivery:write"));
        GatewayProperties properties = properties(null, null, DEFAULT_ROUTE,
                GatewayProperties.UpstreamCredential.TOKEN_EXCHANGE, exchange);
        assertThat(properties.tokenExchange().requiredTokenUri()).hasPort(9444);
    }

    private static GatewayProperties properties(List<String> algorithms, Duration ttl, String audience, Path secret) {
        return new GatewayProperties("https://localhost:9443", URI.create("https://localhost:9443/oauth2/jwks"),
                URI.create("https://localhost:9443/oauth2/introspect"), "bulwark-gateway", secret, audience,
                algorithms, ttl, null,
                new GatewayProperties.UserContext(null, "bulwark-gateway", "order-service", Duration.ofSeconds(60)),
                null, "spiffe://ecomm.local/sts", DEFAULT_ROUTE, GatewayProperties.UpstreamCredential.USER_CONTEXT,
                NO_EXCHANGE);
    }

    private static GatewayProperties properties(URI orderServiceUri, String orderServiceSpiffeId,
            GatewayProperties.Route route, GatewayProperties.UpstreamCredential credential,
            GatewayProperties.TokenExchange exchange) {
        return new GatewayProperties("https://localhost:9443", URI.create("https://localhost:9443/oauth2/jwks"),
                URI.create("https://localhost:9443/oauth2/introspect"), "bulwark-gateway", null, "bulwark-api",
                List.of("ES256"), Duration.ofSeconds(10), orderServiceUri,
                new GatewayProperties.UserContext(null, "bulwark-gateway", "order-service", Duration.ofSeconds(60)),
                orderServiceSpiffeId, "spiffe://ecomm.local/sts", route, credential, exchange);
    }
}
