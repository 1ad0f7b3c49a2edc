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
    public static final Set<String> GRANT_TYPES = Set.of("client_credentials", "password", "refresh_token");

    /** Access-token formats a client may be configured with. */
    public static final Set<String> TOKEN_FORMATS = Set.of("jwt", "reference");

    /** Client authentication methods a client may be configured with. */
    public static final Set<String> AUTHENTICATION_METHODS = Set.of(StsProperties.Client.CLIENT_SECRET,
            StsProperties.Client.TLS_CLIENT_AUTH);

    private static final String SCOPE_CHARS = "[\\x21\\x23-\\x5B\\x5D-\\x7E]+";

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
            problems.add(key + ".grant-types: empty (expected: some of client_credentials, password, refresh_token)");
        }
        for (String g : grants) {
            if (!GRANT_TYPES.contains(g)) {
                problems.add(key + ".grant-types: " + g + " (expected: one of client_credentials, password, refresh_token)");
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

    private static void positive(List<String> problems, String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            problems.add(key + ": " + d + " (expected: a positive duration)");
        }
    }
}
