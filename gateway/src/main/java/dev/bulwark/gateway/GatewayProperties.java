package dev.bulwark.gateway;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every {@code bulwark.gateway.*} setting, with its default written once here. A wrong configuration
 * fails at start-up with every problem listed together. {@code order-service-uri} and
 * {@code order-service-spiffe-id} are the deprecated names of {@code route.uri} and {@code route.spiffe-id}
 * (used only when the new name is not set); read the upstream through {@link #upstreamUri()} and
 * {@link #upstreamSpiffeId()}.
 */
@ConfigurationProperties("bulwark.gateway")
public record GatewayProperties(
        @DefaultValue("https://localhost:9443") String issuer,
        @DefaultValue("https://localhost:9443/oauth2/jwks") URI jwkSetUri,
        @DefaultValue("https://localhost:9443/oauth2/introspect") URI introspectionUri,
        @DefaultValue("bulwark-gateway") String introspectionClientId,
        @Nullable Path introspectionClientSecretFile,
        @DefaultValue("bulwark-api") String audience,
        @DefaultValue("ES256") List<String> algorithms,
        @DefaultValue("PT10S") Duration introspectionCacheTtl,
        @Nullable URI orderServiceUri,
        @DefaultValue UserContext userContext,
        @Nullable String orderServiceSpiffeId,
        @DefaultValue("spiffe://ecomm.local/sts") String stsSpiffeId,
        @DefaultValue Route route,
        @DefaultValue("user-context") UpstreamCredential upstreamCredential,
        @DefaultValue TokenExchange tokenExchange) {

    /** Asymmetric JWS algorithms only: {@code none} and HMAC (HS*) can never be allowed. */
    static final Set<String> SUPPORTED_ALGORITHMS = Set.of("ES256", "ES384", "ES512", "RS256", "RS384",
            "RS512", "PS256", "PS384", "PS512", "EdDSA");

    static final Duration MAX_CACHE_TTL = Duration.ofMinutes(5);

    public GatewayProperties {
        algorithms = List.copyOf(algorithms);
        List<String> problems = new ArrayList<>();
        requireText(problems, "issuer", issuer);
        requireText(problems, "audience", audience);
        requireText(problems, "introspection-client-id", introspectionClientId);
        requireHttpUri(problems, "jwk-set-uri", jwkSetUri);
        requireHttpUri(problems, "introspection-uri", introspectionUri);
        route = route.withUpstream(resolve(route.uri(), orderServiceUri, Route.DEFAULT_URI),
                resolve(route.spiffeId(), orderServiceSpiffeId, Route.DEFAULT_SPIFFE_ID));
        problems.addAll(route.problems());
        if (algorithms.isEmpty()) {
            problems.add("bulwark.gateway.algorithms: empty (expected: at least one of " + SUPPORTED_ALGORITHMS + ")");
        }
        for (String alg : algorithms) {
            if (!SUPPORTED_ALGORITHMS.contains(alg)) {
                problems.add("bulwark.gateway.algorithms: " + alg + " (expected: one of " + SUPPORTED_ALGORITHMS + ")");
            }
        }
        if (introspectionCacheTtl.isNegative() || introspectionCacheTtl.compareTo(MAX_CACHE_TTL) > 0) {
            problems.add("bulwark.gateway.introspection-cache-ttl: " + introspectionCacheTtl
                    + " (expected: between PT0S and " + MAX_CACHE_TTL + ")");
        }
        if (introspectionClientSecretFile != null && !Files.isReadable(introspectionClientSecretFile)) {
            problems.add("bulwark.gateway.introspection-client-secret-file: " + introspectionClientSecretFile
                    + " (expected: a readable file)");
        }
        problems.addAll(userContext.problems());
        requireSpiffeId(problems, "sts-spiffe-id", stsSpiffeId);
        if (upstreamCredential == UpstreamCredential.TOKEN_EXCHANGE) {
            problems.addAll(tokenExchange.problems());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid gateway configuration:\n  " + String.join("\n  ", problems));
        }
    }

    /** The upstream's address, as configured ({@code route.uri}, or the deprecated {@code order-service-uri}). */
    public URI upstreamUri() {
        return Objects.requireNonNull(route.uri(), "route.uri");
    }

    /** The only SPIFFE ID the upstream client accepts from the upstream (with workload identity). */
    public String upstreamSpiffeId() {
        return Objects.requireNonNull(route.spiffeId(), "route.spiffe-id");
    }

    /**
     * The new name wins; the deprecated one is taken when only it is set (so a launcher still passing
     * {@code order-service-uri} and an override of {@code route.uri} work together).
     */
    private static <T> T resolve(@Nullable T value, @Nullable T oldValue, T fallback) {
        return value != null ? value : oldValue != null ? oldValue : fallback;
    }

    /** What the gateway sends upstream in {@code Authorization} in place of the caller's token. */
    public enum UpstreamCredential {
        /** A user-context JWT the gateway signs ({@code user-context.*}); the ecomm default. */
        USER_CONTEXT,
        /** The caller's token exchanged (RFC 8693) at an STS ({@code token-exchange.*}). */
        TOKEN_EXCHANGE
    }

    /**
     * The one route: {@code path-prefix} and everything under it go to {@code uri} + {@code upstream-path};
     * {@code GET} needs {@code read-scope}, {@code POST} needs {@code write-scope}, other methods are refused.
     */
    public record Route(
            @DefaultValue("/api/orders") String pathPrefix,
            @DefaultValue("/orders") String upstreamPath,
            @DefaultValue("orders:read") String readScope,
            @DefaultValue("orders:write") String writeScope,
            @Nullable URI uri,
            @Nullable String spiffeId,
            @Nullable String deleteScope) {

        static final URI DEFAULT_URI = URI.create("http://localhost:8081");
        static final String DEFAULT_SPIFFE_ID = "spiffe://ecomm.local/order";
        private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
        private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

        /** The route id (metrics, logs): the last segment of the path prefix, e.g. {@code orders}. */
        public String id() {
            return pathPrefix.substring(pathPrefix.lastIndexOf('/') + 1);
        }

        Route withUpstream(URI uri, String spiffeId) {
            return new Route(pathPrefix, upstreamPath, readScope, writeScope, uri, spiffeId, deleteScope);
        }

        List<String> problems() {
            List<String> problems = new ArrayList<>();
            requirePath(problems, "route.path-prefix", pathPrefix);
            requirePath(problems, "route.upstream-path", upstreamPath);
            requireScope(problems, "route.read-scope", readScope);
            requireScope(problems, "route.write-scope", writeScope);
            if (deleteScope != null) {
                requireScope(problems, "route.delete-scope", deleteScope);
            }
            requireHttpUri(problems, "route.uri", uri);
            requireSpiffeId(problems, "route.spiffe-id", spiffeId);
            return problems;
        }

        private static void requirePath(List<String> problems, String key, @Nullable String value) {
            if (value == null || !PATH.matcher(value).matches()) {
                problems.add("bulwark.gateway." + key + ": " + value
                        + " (expected: an absolute path without a trailing slash, e.g. /api/orders)");
            }
        }

        private static void requireScope(List<String> problems, String key, @Nullable String value) {
            if (value == null || !SCOPE.matcher(value).matches()) {
                problems.add("bulwark.gateway." + key + ": " + value + " (expected: one scope token, e.g. orders:read)");
            }
        }
    }

    /**
     * Token exchange (RFC 8693) at an STS for {@code upstream-credential=token-exchange}: the gateway
     * authenticates with {@code tls_client_auth} (its SVID) as {@code client-id}, and asks for a token for
     * {@code audience} with {@code scopes} (empty: whatever the STS grants the client for that audience).
     */
    public record TokenExchange(
            @Nullable URI tokenUri,
            @DefaultValue("spiffe://logistics.local/sts") String stsSpiffeId,
            @DefaultValue("logistics-gateway") String clientId,
            @DefaultValue("delivery-service") String audience,
            @DefaultValue List<String> scopes) {

        public TokenExchange {
            scopes = List.copyOf(scopes);
        }

        /** The token endpoint; only null when token exchange is off. */
        public URI requiredTokenUri() {
            return Objects.requireNonNull(tokenUri, "token-exchange.token-uri");
        }

        List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (tokenUri == null || !"https".equals(tokenUri.getScheme()) || tokenUri.getHost() == null) {
                problems.add("bulwark.gateway.token-exchange.token-uri: " + tokenUri
                        + " (expected: the STS token endpoint, an absolute https URI, when upstream-credential=token-exchange)");
            }
            requireSpiffeId(problems, "token-exchange.sts-spiffe-id", stsSpiffeId);
            requireText(problems, "token-exchange.client-id", clientId);
            requireText(problems, "token-exchange.audience", audience);
            for (String scope : scopes) {
                if (!Route.SCOPE.matcher(scope).matches()) {
                    problems.add("bulwark.gateway.token-exchange.scopes: " + scope + " (expected: scope tokens)");
                }
            }
            return problems;
        }
    }

    /** The short-lived JWT the gateway signs for upstream services. */
    public record UserContext(
            @Nullable Path keyFile,
            @DefaultValue("bulwark-gateway") String issuer,
            @DefaultValue("order-service") String audience,
            @DefaultValue("PT60S") Duration lifetime) {

        List<String> problems() {
            List<String> problems = new ArrayList<>();
            requireText(problems, "user-context.issuer", issuer);
            requireText(problems, "user-context.audience", audience);
            if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_CACHE_TTL) > 0) {
                problems.add("bulwark.gateway.user-context.lifetime: " + lifetime + " (expected: between PT1S and "
                        + MAX_CACHE_TTL + ")");
            }
            if (keyFile != null && !Files.isReadable(keyFile)) {
                problems.add("bulwark.gateway.user-context.key-file: " + keyFile + " (expected: a readable file)");
            }
            return problems;
        }
    }

    private static void requireText(List<String> problems, String key, @Nullable String value) {
        if (value == null || value.isBlank()) {
            problems.add("bulwark.gateway." + key + ": blank (expected: a value)");
        }
    }

    private static void requireSpiffeId(List<String> problems, String key, @Nullable String value) {
        try {
            SpiffeIdPolicy.oneOf(value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            problems.add("bulwark.gateway." + key + ": " + value + " (expected: spiffe://<trust-domain>/<path>)");
        }
    }

    private static void requireHttpUri(List<String> problems, String key, @Nullable URI value) {
        if (value == null || !value.isAbsolute() || value.getHost() == null
                || !("https".equals(value.getScheme()) || "http".equals(value.getScheme()))) {
            problems.add("bulwark.gateway." + key + ": " + value + " (expected: an absolute http(s) URI)");
        }
    }
}
