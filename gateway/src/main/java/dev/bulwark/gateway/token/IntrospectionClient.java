package dev.bulwark.gateway.token;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** RFC 7662 §2.1 request with client authentication {@code client_secret_basic} (RFC 6749 §2.3.1). */
final class IntrospectionClient {

    /** RFC 7662 §2.2 NumericDate members; Spring's principal expects them as {@link Instant}. */
    private static final Set<String> TIME_CLAIMS = Set.of("exp", "iat", "nbf");

    private final WebClient web;
    private final URI uri;
    private final String clientId;
    private final Supplier<String> clientSecret;

    IntrospectionClient(WebClient web, URI uri, String clientId, Supplier<String> clientSecret) {
        this.web = web;
        this.uri = uri;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    private String basicCredentials() {
        return HttpHeaders.encodeBasicAuth(URLEncoder.encode(clientId, StandardCharsets.UTF_8),
                URLEncoder.encode(clientSecret.get(), StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    Mono<Introspection> introspect(String token) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("token", token);
        form.add("token_type_hint", "access_token");
        return web.post().uri(uri)
                .header(HttpHeaders.AUTHORIZATION, "Basic " + basicCredentials())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromFormData(form))
                .retrieve()
                .bodyToMono(String.class)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("empty introspection response")))
                .map(IntrospectionClient::parse);
    }

    static Introspection parse(String body) {
        try {
            Map<String, Object> json = JSONObjectUtils.parse(body);
            if (!Boolean.TRUE.equals(json.get("active"))) {
                return Introspection.INACTIVE;
            }
            Object scope = json.get("scope");
            List<String> scopes = scope instanceof String s && !s.isBlank()
                    ? Arrays.asList(s.trim().split("\\s+")) : List.of();
            Object exp = json.get("exp");
            Instant expiresAt = exp instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : null;
            Map<String, Object> claims = new HashMap<>();
            json.forEach((k, v) -> {
                if (v instanceof Number n && TIME_CLAIMS.contains(k)) {
                    claims.put(k, Instant.ofEpochSecond(n.longValue()));
                } else if (v != null && !"scope".equals(k)) {
                    claims.put(k, v);
                }
            });
            return new Introspection(true, text(json.get("sub")), text(json.get("client_id")), scopes, expiresAt, claims);
        } catch (ParseException e) {
            throw new IllegalStateException("introspection response unreadable", e);
        }
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
