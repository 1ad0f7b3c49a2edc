package dev.bulwark.sts.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code bulwark.sts.*}. Defaults are written here once; the README lists them.
 * Semantic checks (unknown grant types, missing secrets, ...) are done by {@link StsPropertiesValidator}
 * so that every problem is reported at once.
 */
@ConfigurationProperties("bulwark.sts")
public record StsProperties(
        @DefaultValue("https://localhost:9443") String issuer,
        @DefaultValue("bulwark-api") String audience,
        @DefaultValue("PT5M") Duration accessTokenLifetime,
        @DefaultValue("PT8H") Duration refreshTokenLifetime,
        @DefaultValue("PT5M") Duration cleanupInterval,
        @DefaultValue Keys keys,
        @DefaultValue Lockout lockout,
        @DefaultValue SecretCache secretCache,
        Map<String, Client> clients,
        Map<String, User> users,
        Map<String, TrustedIssuer> trustedIssuers) {

    public StsProperties {
        clients = clients == null ? Map.of() : Map.copyOf(clients);
        users = users == null ? Map.of() : Map.copyOf(users);
        trustedIssuers = trustedIssuers == null ? Map.of() : Map.copyOf(trustedIssuers);
    }

    /** Signing keys: where the key-encryption key lives and how often the signing key changes. */
    public record Keys(
            @DefaultValue("${bulwark.home:.bulwark}/keys/sts-kek") Path kekFile,
            @DefaultValue("P30D") Duration rotationPeriod,
            @DefaultValue("P2D") Duration publishAhead,
            @DefaultValue("PT1M") Duration checkInterval) {
    }

    /** Slows down password guessing against one user name: {@code max-failures} within {@code window} lock it for {@code duration}. */
    public record Lockout(
            @DefaultValue("5") int maxFailures,
            @DefaultValue("PT15M") Duration window,
            @DefaultValue("PT15M") Duration duration) {
    }

    /** The cache of successful client-secret checks (see {@code CachingPasswordEncoder}). */
    public record SecretCache(
            @DefaultValue("PT5M") Duration ttl,
            @DefaultValue("10000") long maximumSize) {
    }

    /**
     * One OAuth client, keyed by its client id. It authenticates with a secret
     * ({@code authentication-method: client_secret}, Basic or form post), or with its X.509-SVID over
     * TLS ({@code tls_client_auth}, RFC 8705: the certificate's only URI SAN is {@code spiffe-id}).
     */
    public record Client(
            @Nullable String secret,
            @Nullable Path secretFile,
            @Nullable List<String> grantTypes,
            @Nullable List<String> scopes,
            @DefaultValue("jwt") String tokenFormat,
            @Nullable Duration accessTokenLifetime,
            @Nullable Duration refreshTokenLifetime,
            @Nullable String audience,
            @DefaultValue(CLIENT_SECRET) String authenticationMethod,
            @Nullable String spiffeId,
            @DefaultValue("false") boolean certificateBoundAccessTokens,
            @Nullable TokenExchange tokenExchange) {

        /** {@code authentication-method} of clients that send a secret (RFC 6749 §2.3.1, Basic or form post). */
        public static final String CLIENT_SECRET = "client_secret";

        /** {@code authentication-method} of workloads that authenticate with their SVID (RFC 8705 §2.1). */
        public static final String TLS_CLIENT_AUTH = "tls_client_auth";

        public boolean usesTlsClientAuth() {
            return TLS_CLIENT_AUTH.equals(authenticationMethod);
        }

        public List<String> grantTypesOrEmpty() {
            return grantTypes == null ? List.of() : List.copyOf(grantTypes);
        }

        public List<String> scopesOrEmpty() {
            return scopes == null ? List.of() : List.copyOf(scopes);
        }
    }

    /** One resource owner for the (legacy) password grant. */
    public record User(@Nullable String password, @Nullable String passwordHash) {
    }

    /**
     * What a client may obtain with the token-exchange (RFC 8693) and JWT-bearer (RFC 7523) grants:
     * subject tokens must be addressed to {@code subject-audience} (token exchange only), and the
     * issued token is for one of {@code targets}.
     */
    public record TokenExchange(@Nullable String subjectAudience, Map<String, Target> targets) {

        public TokenExchange {
            targets = targets == null ? Map.of() : Map.copyOf(targets);
        }
    }

    /**
     * One audience a client may ask a token for, with its scopes written {@code TARGET[=REQUIRED_SUBJECT_SCOPE]}:
     * {@code inventory:write=orders:write} grants {@code inventory:write} only when the subject token holds
     * {@code orders:write}; a scope without {@code =} needs nothing from the subject.
     */
    public record Target(@Nullable String audience, List<String> scopes) {

        public Target {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }
    }

    /**
     * An issuer whose JWTs are accepted as subject tokens (token exchange) or assertions (JWT bearer).
     * Keys from {@code jwk-set-file} (re-read when it changes) or {@code jwk-set-uri} (fetched when needed,
     * over workload TLS expecting the server {@code jwks-spiffe-id} when this process has a workload SVID).
     * A token must carry one of {@code audiences}; {@code carried-claims} are copied into issued tokens.
     */
    public record TrustedIssuer(
            @Nullable String issuer,
            @Nullable String jwkSetUri,
            @Nullable Path jwkSetFile,
            @Nullable String jwksSpiffeId,
            List<String> grants,
            List<String> audiences,
            List<String> carriedClaims) {

        public TrustedIssuer {
            grants = grants == null ? List.of() : List.copyOf(grants);
            audiences = audiences == null ? List.of() : List.copyOf(audiences);
            carriedClaims = carriedClaims == null ? List.of() : List.copyOf(carriedClaims);
        }
    }
}
