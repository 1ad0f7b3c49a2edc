package dev.bulwark.securitykit.jwt;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import dev.bulwark.securitykit.trace.TraceHeaders;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains tokens from an STS token endpoint (RFC 6749 §3.2) over mutual TLS: the client authenticates
 * with its certificate ({@code tls_client_auth}, RFC 8705 §2) and names itself with the form parameter
 * {@code client_id}.
 *
 * <ul>
 *   <li>{@link #exchange}: OAuth 2.0 Token Exchange (RFC 8693 §2.1), {@code
 *       grant_type=urn:ietf:params:oauth:grant-type:token-exchange};
 *   <li>{@link #jwtBearer}: JWT bearer authorization grant (RFC 7523 §2.1), {@code
 *       grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}.
 * </ul>
 *
 * <p>Issued tokens are cached until 30 s before they expire (and never past the expiry of the token
 * they were obtained for), keyed by the identity claims of the presented token ({@code iss}, {@code
 * sub}, {@code client_id}, {@code scope}, {@code act}; read, not verified, since the STS verifies it),
 * the audience and the requested scopes: not by the token's bytes, so a gateway that signs a fresh
 * token for the same user on every request still hits the cache. A token that is not a JWT is keyed
 * by its SHA-256. {@link #cacheHits()} and {@link #cacheMisses()} count lookups.
 *
 * <p>Each request carries the current trace context ({@link TraceHeaders}), when one is installed.
 *
 * <p>Failures throw {@link TokenRequestException} (status, OAuth error); no message contains a token.
 */
public final class TokenClient {

    /** RFC 8693 §2.1 grant type. */
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** RFC 7523 §2.1 grant type. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** RFC 8693 §3 token type of a JWT. */
    public static final String TOKEN_TYPE_JWT = "urn:ietf:params:oauth:token-type:jwt";
    /** RFC 8693 §3 token type of an OAuth access token. */
    public static final String TOKEN_TYPE_ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

    private static final Logger log = LoggerFactory.getLogger(TokenClient.class);
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private static final int MAX_CACHED = 10_000;
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private record Cached(IssuedToken token, Instant until) {
    }

    private final URI tokenUri;
    private final String clientId;
    private final HttpClient http;
    private final Clock clock;
    private final Duration timeout;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    private TokenClient(Builder builder) {
        this.tokenUri = builder.tokenUri;
        this.clientId = builder.clientId;
        this.clock = builder.clock;
        this.timeout = builder.timeout;
        this.http = HttpClient.newBuilder().sslContext(builder.sslContext).connectTimeout(builder.timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A client of the token endpoint {@code tokenUri} (https) for OAuth client {@code clientId}, whose
     * TLS (client certificate, server check) is {@code sslContext}.
     */
    public static TokenClient create(URI tokenUri, String clientId, SSLContext sslContext) {
        return builder(tokenUri, clientId, sslContext).build();
    }

    /** A builder, for a clock or a timeout other than the system clock and 10 s. */
    public static Builder builder(URI tokenUri, String clientId, SSLContext sslContext) {
        return new Builder(tokenUri, clientId, sslContext);
    }

    /**
     * Exchanges {@code subjectToken} (a JWT, or else an access token) for a token addressed to {@code
     * audience} with {@code scopes} (empty: whatever the STS grants), RFC 8693 §2.1.
     *
     * @throws TokenRequestException when the STS refused or could not be reached
     */
    public IssuedToken exchange(String subjectToken, String audience, Set<String> scopes) {
        Objects.requireNonNull(subjectToken, "subjectToken");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(scopes, "scopes");
        return call(TOKEN_EXCHANGE, subjectToken, audience, scopes, exchangeForm(subjectToken, audience));
    }

    /**
     * Presents {@code assertion} (a JWT whose {@code aud} is this STS) under the JWT bearer grant, RFC
     * 7523 §2.1, for a token addressed to {@code audience} (null: the STS's single target for this
     * client) with {@code scopes}.
     *
     * @throws TokenRequestException when the STS refused or could not be reached
     */
    public IssuedToken jwtBearer(String assertion, @Nullable String audience, Set<String> scopes) {
        Objects.requireNonNull(assertion, "assertion");
        Objects.requireNonNull(scopes, "scopes");
        return call(JWT_BEARER, assertion, audience == null ? "" : audience, scopes, jwtBearerForm(assertion, audience));
    }

    /**
     * {@link #exchange} without blocking the calling thread (for reactive callers): the future
     * completes with the token, or exceptionally with a {@link TokenRequestException}.
     */
    public CompletableFuture<IssuedToken> exchangeAsync(String subjectToken, String audience, Set<String> scopes) {
        Objects.requireNonNull(subjectToken, "subjectToken");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(scopes, "scopes");
        return callAsync(TOKEN_EXCHANGE, subjectToken, audience, scopes, exchangeForm(subjectToken, audience));
    }

    /**
     * {@link #jwtBearer} without blocking the calling thread: the future completes with the token, or
     * exceptionally with a {@link TokenRequestException}.
     */
    public CompletableFuture<IssuedToken> jwtBearerAsync(String assertion, @Nullable String audience, Set<String> scopes) {
        Objects.requireNonNull(assertion, "assertion");
        Objects.requireNonNull(scopes, "scopes");
        return callAsync(JWT_BEARER, assertion, audience == null ? "" : audience, scopes, jwtBearerForm(assertion, audience));
    }

    /** How many calls were answered from the cache. */
    public long cacheHits() {
        return hits.get();
    }

    /** How many calls went to the STS (successful or not). */
    public long cacheMisses() {
        return misses.get();
    }

    /** The token endpoint this client calls. */
    public URI tokenUri() {
        return tokenUri;
    }

    private Map<String, String> exchangeForm(String subjectToken, String audience) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", TOKEN_EXCHANGE);
        form.put("client_id", clientId);
        form.put("subject_token", subjectToken);
        form.put("subject_token_type", looksLikeJwt(subjectToken) ? TOKEN_TYPE_JWT : TOKEN_TYPE_ACCESS_TOKEN);
        form.put("audience", audience);
        return form;
    }

    private Map<String, String> jwtBearerForm(String assertion, @Nullable String audience) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", JWT_BEARER);
        form.put("client_id", clientId);
        form.put("assertion", assertion);
        if (audience != null) {
            form.put("audience", audience);
        }
        return form;
    }

    /** A request to make: its cache key, the presented token's expiry, the scopes asked for. */
    private record Pending(String key, @Nullable Instant presentedExpiry, Set<String> scopes, String grant,
            HttpRequest request, Instant now) {
    }

    private IssuedToken call(String grant, String presented, String audience, Set<String> scopes,
            Map<String, String> form) {
        Pending pending = pending(grant, presented, audience, scopes, form);
        Cached cached = cache.get(pending.key());
        if (cached != null && pending.now().isBefore(cached.until())) {
            hits.incrementAndGet();
            return cached.token();
        }
        misses.incrementAndGet();
        HttpResponse<byte[]> response;
        try {
            response = http.send(pending.request(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable(grant, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenRequestException(0, TokenRequestException.UNAVAILABLE, "interrupted while calling " + tokenUri, e);
        }
        return store(pending, response);
    }

    private CompletableFuture<IssuedToken> callAsync(String grant, String presented, String audience, Set<String> scopes,
            Map<String, String> form) {
        Pending pending;
        try {
            pending = pending(grant, presented, audience, scopes, form);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Cached cached = cache.get(pending.key());
        if (cached != null && pending.now().isBefore(cached.until())) {
            hits.incrementAndGet();
            return CompletableFuture.completedFuture(cached.token());
        }
        misses.incrementAndGet();
        return http.sendAsync(pending.request(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        throw unavailable(grant, cause);
                    }
                    return store(pending, response);
                });
    }

    private Pending pending(String grant, String presented, String audience, Set<String> scopes,
            Map<String, String> form) {
        Set<String> sortedScopes = new TreeSet<>(scopes);
        @Nullable JWTClaimsSet claims = claimsOf(presented);
        String key = cacheKey(grant, presented, claims, audience, sortedScopes);
        if (!sortedScopes.isEmpty()) {
            form.put("scope", String.join(" ", sortedScopes));
        }
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        // the STS's spans join the trace of the request that needed the token (W3C traceparent)
        HttpRequest request = TraceHeaders.addTo(HttpRequest.newBuilder(tokenUri).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)))
                .build();
        Instant presentedExpiry = claims == null || claims.getExpirationTime() == null ? null
                : claims.getExpirationTime().toInstant();
        return new Pending(key, presentedExpiry, Set.copyOf(sortedScopes), grant, request, clock.instant());
    }

    private IssuedToken store(Pending pending, HttpResponse<byte[]> response) {
        IssuedToken token = parse(response.statusCode(), response.body(), pending.grant(), pending.scopes(), pending.now());
        Instant now = pending.now();
        Instant until = token.expiresAt().minus(MARGIN);
        if (pending.presentedExpiry() != null && pending.presentedExpiry().isBefore(until)) {
            until = pending.presentedExpiry();
        }
        if (now.isBefore(until)) {
            if (cache.size() >= MAX_CACHED) {
                cache.values().removeIf(entry -> !now.isBefore(entry.until()));
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
            }
            cache.put(pending.key(), new Cached(token, until));
        }
        return token;
    }

    private TokenRequestException unavailable(String grant, Throwable e) {
        log.info("event=token_request_failed grant_type={} token_uri={} error={} reason={}", grant, tokenUri,
                TokenRequestException.UNAVAILABLE, e.getClass().getSimpleName());
        return new TokenRequestException(0, TokenRequestException.UNAVAILABLE, "token request (" + grant + ") to "
                + tokenUri + " failed: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    }

    private IssuedToken parse(int status, byte[] bytes, String grant, Set<String> requestedScopes, Instant now) {
        if (bytes.length > MAX_RESPONSE_BYTES) {
            throw failure(status, TokenRequestException.INVALID_RESPONSE, grant,
                    "a response larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(text);
        } catch (ParseException e) {
            json = Map.of();
        }
        if (status != 200) {
            Object error = json.get("error");
            String code = error instanceof String s && s.matches("[\\x20-\\x7e]{1,64}") ? s
                    : status == 401 ? "invalid_client" : TokenRequestException.INVALID_RESPONSE;
            throw failure(status, code, grant, "status " + status + " error=" + code);
        }
        Object accessToken = json.get("access_token");
        Object tokenType = json.get("token_type");
        if (!(accessToken instanceof String value) || value.isEmpty()) {
            throw failure(status, TokenRequestException.INVALID_RESPONSE, grant, "a response without access_token");
        }
        if (!(tokenType instanceof String type) || !type.toLowerCase(Locale.ROOT).equals("bearer")) {
            throw failure(status, TokenRequestException.INVALID_RESPONSE, grant,
                    "token_type " + tokenType + " (expected: Bearer)");
        }
        long expiresIn = json.get("expires_in") instanceof Number n ? n.longValue() : 0;
        Object issuedType = json.get("issued_token_type");
        Object scope = json.get("scope");
        Set<String> granted = scope instanceof String s
                ? Set.copyOf(Arrays.stream(s.split(" ")).filter(part -> !part.isEmpty()).toList())
                : requestedScopes;
        return new IssuedToken(value, issuedType instanceof String t ? t : TOKEN_TYPE_ACCESS_TOKEN, granted,
                now.plusSeconds(Math.max(0, expiresIn)));
    }

    private TokenRequestException failure(int status, String error, String grant, String what) {
        log.info("event=token_request_failed grant_type={} token_uri={} status={} error={}", grant, tokenUri, status,
                error);
        return new TokenRequestException(status, error, "token endpoint " + tokenUri + " (" + grant + ") answered "
                + what + " (expected: 200 with a Bearer token)");
    }

    private static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    private static @Nullable JWTClaimsSet claimsOf(String token) {
        if (!looksLikeJwt(token)) {
            return null;
        }
        try {
            return JWTParser.parse(token).getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private static String cacheKey(String grant, String presented, @Nullable JWTClaimsSet claims, String audience,
            Set<String> scopes) {
        StringBuilder key = new StringBuilder(grant).append('\n').append(audience).append('\n')
                .append(String.join(" ", scopes)).append('\n');
        if (claims == null || claims.getIssuer() == null || claims.getSubject() == null) {
            return key.append("sha256:").append(sha256(presented)).toString();
        }
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("iss", claims.getIssuer());
        identity.put("sub", claims.getSubject());
        identity.put("client_id", claims.getClaim("client_id"));
        identity.put("scope", claims.getClaim("scope"));
        identity.put("act", claims.getClaim("act"));
        identity.put("aud", claims.getAudience() == null ? List.of() : claims.getAudience());
        return key.append(JSONObjectUtils.toJSONString(identity)).toString();
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Settings of a {@link TokenClient}; every default is set here. */
    public static final class Builder {

        private final URI tokenUri;
        private final String clientId;
        private final SSLContext sslContext;
        private Clock clock = Clock.systemUTC();
        private Duration timeout = Duration.ofSeconds(10);

        private Builder(URI tokenUri, String clientId, SSLContext sslContext) {
            this.tokenUri = Objects.requireNonNull(tokenUri, "tokenUri");
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            if (!"https".equalsIgnoreCase(tokenUri.getScheme())) {
                throw new IllegalArgumentException("tokenUri: " + tokenUri + " (expected: an https:// URI)");
            }
            if (clientId.isBlank()) {
                throw new IllegalArgumentException("clientId: '' (expected: the OAuth client ID at the STS)");
            }
        }

        /** The clock that decides cache expiry (default: the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Connect and request timeout (default 10 s). */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout: " + timeout + " (expected: positive)");
            }
            this.timeout = timeout;
            return this;
        }

        /** The client. */
        public TokenClient build() {
            return new TokenClient(this);
        }
    }
}
