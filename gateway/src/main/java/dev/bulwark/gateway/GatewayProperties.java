package dev.bulwark.gateway;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every {@code bulwark.gateway.*} setting, with its default written once here. A wrong configuration
 * fails at start-up with every problem listed together.
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
        @DefaultValue("http://localhost:8081") URI orderServiceUri,
        @DefaultValue UserContext userContext,
        @DefaultValue("spiffe://ecomm.local/order") String orderServiceSpiffeId,
        @DefaultValue("spiffe://ecomm.local/sts") String stsSpiffeId) {

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
        requireHttpUri(problems, "order-service-uri", orderServiceUri);
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
        requireSpiffeId(problems, "order-service-spiffe-id", orderServiceSpiffeId);
        requireSpiffeId(problems, "sts-spiffe-id", stsSpiffeId);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid gateway configuration:\n  " + String.join("\n  ", problems));
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
