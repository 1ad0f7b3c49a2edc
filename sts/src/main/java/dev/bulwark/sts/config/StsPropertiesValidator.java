package dev.bulwark.sts.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.bulwark.sts.mtls.SpiffeId;

/**
 * Checks the meaning of {@link StsProperties} and reports every problem at once, in the form
 * {@code key: value (expected: ...)}.
 */
public final class StsPropertiesValidator {

    /** Grant types a client may be configured with. */
    public static final Set<String> GRANT_TYPES = Set.of("client_credentials", "password", "refresh_token",
            StsPropertiesValidator.TOKEN_EXCHANGE, StsPropertiesValidator.JWT_BEARER);

    /** RFC 8693 §2.1 grant type. */
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    /** RFC 7523 §2.1 grant type. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /** Short grant names a trusted issuer may list under {@code grants}. */
    public static final Set<String> ISSUER_GRANTS = Set.of("token-exchange", "jwt-bearer");

    /** Claims an issued token sets itself, so a trusted issuer cannot carry them over. */
    public static final Set<String> RESERVED_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "scope",
            "scp", "client_id", "act", "cnf", "may_act");

    private static final String GRANT_LIST = "client_credentials, password, refresh_token, " + TOKEN_EXCHANGE + ", "
            + JWT_BEARER;

    /** Access-token formats a client may be configured with. */
    public static final Set<String> TOKEN_FORMATS = Set.of("jwt", "reference");

    /** Client authentication methods a client may be configured with. */
    public static final Set<String> AUTHENTICATION_METHODS = Set.of(StsProperties.Client.CLIENT_SECRET,
            StsProperties.Client.TLS_CLIENT_AUTH);

    private static final String SCOPE_CHARS = "[\\x21\\x23-\\x5B\\x5D-\\x7E]+";
    // a target scope: scope-token characters without '=', optionally '=' and the subject scope it needs
    private static final String TARGET_SCOPE = "[\\x21\\x23-\\x3C\\x3E-\\x5B\\x5D-\\x7E]+(=[\\x21\\x23-\\x3C\\x3E-\\x5B\\x5D-\\x7E]+)?";

    private StsPropertiesValidator() {
    }

    /** Throws {@link IllegalStateException} listing every problem, or returns the properties unchanged. */
    public static StsProperties requireValid(StsProperties properties) {
        List<String> problems = validate(properties);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid STS configuration (" + problems.size() + " problem(s)):\n  - "
                    + String.join("\n  - ", problems));
        }
        return properties;
    }

    public static List<String> validate(StsProperties p) {
        List<String> problems = new ArrayList<>();
        try {
            URI issuer = new URI(p.issuer());
            if (!issuer.isAbsolute() || issuer.getQuery() != null || issuer.getFragment() != null) {
                problems.add("bulwark.sts.issuer: " + p.issuer() + " (expected: an absolute URL without query or fragment)");
            }
        } catch (URISyntaxException e) {
            problems.add("bulwark.sts.issuer: " + p.issuer() + " (expected: an absolute URL)");
        }
        if (p.audience().isBlank()) {
            problems.add("bulwark.sts.audience: empty (expected: a non-empty audience)");
        }
        positive(problems, "bulwark.sts.access-token-lifetime", p.accessTokenLifetime());
        positive(problems, "bulwark.sts.refresh-token-lifetime", p.refreshTokenLifetime());
        positive(problems, "bulwark.sts.cleanup-interval", p.cleanupInterval());
        positive(problems, "bulwark.sts.keys.rotation-period", p.keys().rotationPeriod());
        positive(problems, "bulwark.sts.keys.check-interval", p.keys().checkInterval());
        if (p.keys().publishAhead().isNegative() || p.keys().publishAhead().compareTo(p.keys().rotationPeriod()) >= 0) {
            problems.add("bulwark.sts.keys.publish-ahead: " + p.keys().publishAhead()
                    + " (expected: at least zero and shorter than rotation-period " + p.keys().rotationPeriod() + ")");
        }
        if (p.lockout().maxFailures() < 1) {
            problems.add("bulwark.sts.lockout.max-failures: " + p.lockout().maxFailures() + " (expected: at least 1)");
        }
        positive(problems, "bulwark.sts.lockout.window", p.lockout().window());
        positive(problems, "bulwark.sts.lockout.duration", p.lockout().duration());
        positive(problems, "bulwark.sts.secret-cache.ttl", p.secretCache().ttl());
        new TreeMap<>(p.clients()).forEach((id, c) -> validateClient(problems, id, c));
        Map<String, String> issuers = new TreeMap<>();
        new TreeMap<>(p.trustedIssuers()).forEach((name, t) -> validateTrustedIssuer(problems, p, issuers, name, t));
        for (Map.Entry<String, StsProperties.User> e : new TreeMap<>(p.users()).entrySet()) {
            String key = "bulwark.sts.users." + e.getKey();
            StsProperties.User u = e.getValue();
            if ((u.password() == null) == (u.passwordHash() == null)) {
                problems.add(key + ": (expected: exactly one of password, password-hash)");
            } else if (u.passwordHash() != null && !u.passwordHash().matches("\\{[a-z0-9]+}.+")) {
                problems.add(key + ".password-hash: <hidden> (expected: {id}hash, e.g. {bcrypt}$2a$10$...)");
            } else if (u.password() != null && u.password().isEmpty()) {
                problems.add(key + ".password: empty (expected: a password)");
            }
        }
        return problems;
    }

    private static void validateClient(List<String> problems, String id, StsProperties.Client c) {
        String key = "bulwark.sts.clients." + id;
        if (!id.matches("[A-Za-z0-9._-]{1,100}")) {
            problems.add(key + ": client id " + id + " (expected: 1-100 of A-Z a-z 0-9 . _ -)");
        }
        validateAuthentication(problems, key, c);
        List<String> grants = c.grantTypesOrEmpty();
        if (grants.isEmpty()) {
            problems.add(key + ".grant-types: empty (expected: some of " + GRANT_LIST + ")");
        }
        for (String g : grants) {
            if (!GRANT_TYPES.contains(g)) {
                problems.add(key + ".grant-types: " + g + " (expected: one of " + GRANT_LIST + ")");
            }
        }
        if (grants.contains("refresh_token") && !grants.contains("password")) {
            problems.add(key + ".grant-types: refresh_token (expected: only together with password; client_credentials issues no refresh token)");
        }
        for (String s : c.scopesOrEmpty()) {
            if (!s.matches(SCOPE_CHARS)) {
                problems.add(key + ".scopes: " + s + " (expected: RFC 6749 scope-token characters)");
            }
        }
        if (!TOKEN_FORMATS.contains(c.tokenFormat())) {
            problems.add(key + ".token-format: " + c.tokenFormat() + " (expected: jwt or reference)");
        }
        validateTokenExchange(problems, key, grants, c.tokenExchange());
        if (c.accessTokenLifetime() != null) {
            positive(problems, key + ".access-token-lifetime", c.accessTokenLifetime());
        }
        if (c.refreshTokenLifetime() != null) {
            positive(problems, key + ".refresh-token-lifetime", c.refreshTokenLifetime());
        }
    }

    private static void validateAuthentication(List<String> problems, String key, StsProperties.Client c) {
        if (!AUTHENTICATION_METHODS.contains(c.authenticationMethod())) {
            problems.add(key + ".authentication-method: " + c.authenticationMethod()
                    + " (expected: client_secret or tls_client_auth)");
            return;
        }
        if (c.usesTlsClientAuth()) {
            if (c.secret() != null || c.secretFile() != null) {
                problems.add(key + ": (expected: no secret or secret-file with authentication-method tls_client_auth)");
            }
            if (c.spiffeId() == null) {
                problems.add(key + ".spiffe-id: missing (expected: the SPIFFE ID of the client's X.509-SVID,"
                        + " e.g. spiffe://ecomm.local/order)");
            } else {
                try {
                    SpiffeId.parse(c.spiffeId());
                } catch (IllegalArgumentException e) {
                    problems.add(key + ".spiffe-id: " + c.spiffeId()
                            + " (expected: spiffe://<trust-domain>/<path>, SPIFFE ID §2)");
                }
            }
            return;
        }
        if ((c.secret() == null) == (c.secretFile() == null)) {
            problems.add(key + ": (expected: exactly one of secret, secret-file)");
        } else if (c.secret() != null && c.secret().length() < 8) {
            problems.add(key + ".secret: <hidden> (expected: at least 8 characters)");
        }
        if (c.spiffeId() != null) {
            problems.add(key + ".spiffe-id: " + c.spiffeId() + " (expected: only with authentication-method tls_client_auth)");
        }
        if (c.certificateBoundAccessTokens()) {
            problems.add(key + ".certificate-bound-access-tokens: true"
                    + " (expected: only with authentication-method tls_client_auth)");
        }
    }

    private static void validateTokenExchange(List<String> problems, String key, List<String> grants,
            StsProperties.@org.jspecify.annotations.Nullable TokenExchange x) {
        boolean exchange = grants.contains(TOKEN_EXCHANGE);
        boolean bearer = grants.contains(JWT_BEARER);
        String xKey = key + ".token-exchange";
        if (x == null) {
            if (exchange || bearer) {
                problems.add(xKey + ": missing (expected: subject-audience and targets for grant-types "
                        + (exchange ? TOKEN_EXCHANGE : JWT_BEARER) + ")");
            }
            return;
        }
        if (!exchange && !bearer) {
            problems.add(xKey + ": set (expected: only with grant-types " + TOKEN_EXCHANGE + " or " + JWT_BEARER + ")");
        }
        if (exchange && (x.subjectAudience() == null || x.subjectAudience().isBlank())) {
            problems.add(xKey + ".subject-audience: missing (expected: the aud subject tokens must carry, e.g. order-service)");
        }
        if (x.targets().isEmpty()) {
            problems.add(xKey + ".targets: empty (expected: at least one target with audience and scopes)");
        }
        Map<String, String> audiences = new TreeMap<>();
        new TreeMap<>(x.targets()).forEach((name, t) -> {
            String tKey = xKey + ".targets." + name;
            if (t.audience() == null || t.audience().isBlank()) {
                problems.add(tKey + ".audience: missing (expected: the aud of tokens issued for this target)");
            } else {
                String other = audiences.putIfAbsent(t.audience(), name);
                if (other != null) {
                    problems.add(tKey + ".audience: " + t.audience() + " (expected: an audience no other target has; "
                            + other + " has it)");
                }
            }
            if (t.scopes().isEmpty()) {
                problems.add(tKey + ".scopes: empty (expected: TARGET[=REQUIRED_SUBJECT_SCOPE], ...)");
            }
            for (String s : t.scopes()) {
                if (!s.strip().matches(TARGET_SCOPE)) {
                    problems.add(tKey + ".scopes: " + s + " (expected: TARGET[=REQUIRED_SUBJECT_SCOPE] of RFC 6749"
                            + " scope-token characters, e.g. inventory:write=orders:write)");
                }
            }
        });
    }

    private static void validateTrustedIssuer(List<String> problems, StsProperties p, Map<String, String> issuers,
            String name, StsProperties.TrustedIssuer t) {
        String key = "bulwark.sts.trusted-issuers." + name;
        if (t.issuer() == null || t.issuer().isBlank()) {
            problems.add(key + ".issuer: missing (expected: the iss value of the tokens, e.g. bulwark-gateway)");
        } else if (t.issuer().equals(p.issuer())) {
            problems.add(key + ".issuer: " + t.issuer() + " (expected: another issuer than bulwark.sts.issuer,"
                    + " which is always trusted for token exchange)");
        } else {
            String other = issuers.putIfAbsent(t.issuer(), name);
            if (other != null) {
                problems.add(key + ".issuer: " + t.issuer() + " (expected: an issuer no other entry has; " + other
                        + " has it)");
            }
        }
        if ((t.jwkSetUri() == null) == (t.jwkSetFile() == null)) {
            problems.add(key + ": (expected: exactly one of jwk-set-uri, jwk-set-file)");
        }
        if (t.jwkSetUri() != null) {
            try {
                URI uri = new URI(t.jwkSetUri());
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                    problems.add(key + ".jwk-set-uri: " + t.jwkSetUri() + " (expected: an absolute https URL)");
                }
            } catch (URISyntaxException e) {
                problems.add(key + ".jwk-set-uri: " + t.jwkSetUri() + " (expected: an absolute https URL)");
            }
        }
        if (t.jwksSpiffeId() != null) {
            if (t.jwkSetUri() == null) {
                problems.add(key + ".jwks-spiffe-id: " + t.jwksSpiffeId() + " (expected: only with jwk-set-uri)");
            }
            try {
                SpiffeId.parse(t.jwksSpiffeId());
            } catch (IllegalArgumentException e) {
                problems.add(key + ".jwks-spiffe-id: " + t.jwksSpiffeId() + " (expected: spiffe://<trust-domain>/<path>)");
            }
        }
        if (t.grants().isEmpty()) {
            problems.add(key + ".grants: empty (expected: some of token-exchange, jwt-bearer)");
        }
        for (String g : t.grants()) {
            if (!ISSUER_GRANTS.contains(g)) {
                problems.add(key + ".grants: " + g + " (expected: token-exchange or jwt-bearer)");
            }
        }
        if (t.audiences().isEmpty() || t.audiences().stream().anyMatch(String::isBlank)) {
            problems.add(key + ".audiences: " + t.audiences() + " (expected: the aud values accepted, at least one)");
        }
        for (String c : t.carriedClaims()) {
            if (RESERVED_CLAIMS.contains(c) || c.isBlank()) {
                problems.add(key + ".carried-claims: " + c + " (expected: a claim the issued token does not set itself,"
                        + " not one of " + RESERVED_CLAIMS.stream().sorted().toList() + ")");
            }
        }
    }

    private static void positive(List<String> problems, String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            problems.add(key + ": " + d + " (expected: a positive duration)");
        }
    }
}
