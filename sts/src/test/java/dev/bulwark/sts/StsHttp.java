package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tiny OAuth client for the integration tests: real HTTP against the running STS. */
final class StsHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Response(int status, JsonNode body, String raw) {
        String text(String field) {
            JsonNode n = body.get(field);
            return n == null || n.isNull() ? null : n.asString();
        }
    }

    private final HttpClient http;
    private final String base;

    StsHttp(int port) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), "http://localhost:" + port);
    }

    /** Against {@code base} (e.g. {@code https://localhost:<port>}) through {@code http} (e.g. with a client certificate). */
    StsHttp(HttpClient http, String base) {
        this.http = http;
        this.base = base;
    }

    Response token(String clientId, String secret, String... params) {
        return post("/oauth2/token", clientId, secret, params);
    }

    Response introspect(String clientId, String secret, String token) {
        return post("/oauth2/introspect", clientId, secret, "token", token);
    }

    Response revoke(String clientId, String secret, String token) {
        return post("/oauth2/revoke", clientId, secret, "token", token);
    }

    Response post(String path, String clientId, String secret, String... params) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            form.put(params[i], params[i + 1]);
        }
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (clientId != null) {
            req.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((enc(clientId) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8)));
        }
        return send(req.build());
    }

    /** As {@link #post} without client credentials in headers, or empty when no HTTP exchange happened (e.g. TLS refused). */
    java.util.Optional<Response> tryPost(String path, String... params) {
        try {
            return java.util.Optional.of(post(path, null, null, params));
        } catch (java.io.UncheckedIOException e) {
            return java.util.Optional.empty();
        }
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode node;
            try {
                node = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
            } catch (RuntimeException e) {
                node = JSON.createObjectNode();
            }
            return new Response(r.statusCode(), node, r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@code jwt} and checks its ES256 signature against the key its {@code kid} names in /oauth2/jwks. */
    SignedJWT verifiedJwt(String jwt) throws Exception {
        SignedJWT parsed = SignedJWT.parse(jwt);
        assertThat(parsed.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        String kid = parsed.getHeader().getKeyID();
        assertThat(kid).isNotBlank();
        JWKSet jwks = JWKSet.parse(get("/oauth2/jwks").raw());
        ECKey key = (ECKey) jwks.getKeyByKeyId(kid);
        assertThat(key).as("kid %s published in JWKS", kid).isNotNull();
        assertThat(key.isPrivate()).isFalse();
        assertThat(parsed.verify(new ECDSAVerifier((ECPublicKey) key.toPublicKey()))).isTrue();
        return parsed;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
