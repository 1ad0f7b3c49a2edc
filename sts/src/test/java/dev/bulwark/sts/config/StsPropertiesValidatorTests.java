package dev.bulwark.sts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StsPropertiesValidatorTests {

    private static StsProperties props(Map<String, StsProperties.Client> clients, Map<String, StsProperties.User> users) {
        return new StsProperties("https://localhost:9443", "bulwark-api", Duration.ofMinutes(5), Duration.ofHours(8),
                Duration.ofMinutes(5),
                new StsProperties.Keys(Path.of("kek"), Duration.ofDays(30), Duration.ofDays(2), Duration.ofMinutes(1)),
                new StsProperties.Lockout(5, Duration.ofMinutes(15), Duration.ofMinutes(15)),
                new StsProperties.SecretCache(Duration.ofMinutes(5), 100), clients, users, Map.of());
    }

    @Test
    void validateWhenDemoLikeConfigurationThenNoProblems() {
        var c = new StsProperties.Client("orderprocessingappsecret", null,
                List.of("client_credentials", "password", "refresh_token"), List.of("orders:read"), "jwt", null, null, null, "client_secret", null, false, null);
        assertThat(StsPropertiesValidator.validate(props(Map.of("app", c),
                Map.of("peter", new StsProperties.User("peter123", null))))).isEmpty();
    }

    @Test
    void requireValidWhenSeveralProblemsThenListsEveryOne() {
        var noSecret = new StsProperties.Client(null, null, List.of("client_credentials"), List.of(), "jwt", null, null, null, "client_secret", null, false, null);
        var badGrant = new StsProperties.Client("longenoughsecret", null, List.of("implicit"), List.of(), "opaque", null, null, null, "client_secret", null, false, null);
        var noPassword = new StsProperties.User(null, null);

        assertThatThrownBy(() -> StsPropertiesValidator.requireValid(
                props(Map.of("a", noSecret, "b", badGrant), Map.of("u", noPassword))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("4 problem(s)")
                .hasMessageContaining("bulwark.sts.clients.a: (expected: exactly one of secret, secret-file)")
                .hasMessageContaining("bulwark.sts.clients.b.grant-types: implicit")
                .hasMessageContaining("bulwark.sts.clients.b.token-format: opaque")
                .hasMessageContaining("bulwark.sts.users.u");
    }

    private static StsProperties.Client workload(String secret, String method, String spiffeId, boolean bound) {
        return new StsProperties.Client(secret, null, List.of("client_credentials"), List.of("inventory:write"), "jwt",
                null, null, null, method, spiffeId, bound, null);
    }

    @Test
    void validateWhenTlsClientAuthWithSpiffeIdAndNoSecretThenNoProblems() {
        assertThat(StsPropertiesValidator.validate(props(Map.of("order-service",
                workload(null, "tls_client_auth", "spiffe://ecomm.local/order", true)), Map.of()))).isEmpty();
    }

    @Test
    void validateWhenTlsClientAuthMisconfiguredThenEveryProblemListed() {
        assertThat(StsPropertiesValidator.validate(props(Map.of(
                "a", workload(null, "tls_client_auth", null, false),
                "b", workload("longenoughsecret", "tls_client_auth", "spiffe://ecomm.local/order", false),
                "c", workload(null, "tls_client_auth", "spiffe://ecomm.local/../order", false),
                "d", workload(null, "private_key_jwt", null, false),
                "e", workload("longenoughsecret", "client_secret", "spiffe://ecomm.local/order", true)), Map.of())))
                .containsExactlyInAnyOrder(
                        "bulwark.sts.clients.a.spiffe-id: missing (expected: the SPIFFE ID of the client's X.509-SVID,"
                                + " e.g. spiffe://ecomm.local/order)",
                        "bulwark.sts.clients.b: (expected: no secret or secret-file with authentication-method tls_client_auth)",
                        "bulwark.sts.clients.c.spiffe-id: spiffe://ecomm.local/../order"
                                + " (expected: spiffe://<trust-domain>/<path>, SPIFFE ID §2)",
                        "bulwark.sts.clients.d.authentication-method: private_key_jwt"
                                + " (expected: client_secret or tls_client_auth)",
                        "bulwark.sts.clients.e.spiffe-id: spiffe://ecomm.local/order"
                                + " (expected: only with authentication-method tls_client_auth)",
                        "bulwark.sts.clients.e.certificate-bound-access-tokens: true"
                                + " (expected: only with authentication-method tls_client_auth)");
    }

    private static StsProperties withIssuers(Map<String, StsProperties.Client> clients,
            Map<String, StsProperties.TrustedIssuer> issuers) {
        StsProperties p = props(clients, Map.of());
        return new StsProperties(p.issuer(), p.audience(), p.accessTokenLifetime(), p.refreshTokenLifetime(),
                p.cleanupInterval(), p.keys(), p.lockout(), p.secretCache(), clients, Map.of(), issuers);
    }

    private static StsProperties.Client exchanging(List<String> grants, StsProperties.TokenExchange x) {
        return new StsProperties.Client(null, null, grants, List.of(), "jwt", null, null, null, "tls_client_auth",
                "spiffe://ecomm.local/order", false, x);
    }

    @Test
    void validateWhenEcommExchangeConfigurationThenNoProblems() {
        var x = new StsProperties.TokenExchange("order-service", Map.of("inventory",
                new StsProperties.Target("inventory-service", List.of("inventory:write=orders:write", "inventory:read"))));
        var gateway = new StsProperties.TrustedIssuer("bulwark-gateway", null, Path.of("gw.jwks"), null,
                List.of("token-exchange"), List.of("order-service"), List.of());
        assertThat(StsPropertiesValidator.validate(withIssuers(
                Map.of("order-service", exchanging(List.of("client_credentials", StsPropertiesValidator.TOKEN_EXCHANGE), x)),
                Map.of("gateway", gateway)))).isEmpty();
    }

    @Test
    void validateWhenDelegationMisconfiguredThenEveryProblemListed() {
        var noPolicy = exchanging(List.of(StsPropertiesValidator.TOKEN_EXCHANGE), null);
        var badPolicy = exchanging(List.of(StsPropertiesValidator.TOKEN_EXCHANGE), new StsProperties.TokenExchange(null,
                Map.of("a", new StsProperties.Target(null, List.of("x=y=z")))));
        var bothKeys = new StsProperties.TrustedIssuer("https://localhost:9443", "ftp://x/jwks", Path.of("f"), "nope",
                List.of("implicit"), List.of(), List.of("sub"));

        assertThat(StsPropertiesValidator.validate(withIssuers(Map.of("n", noPolicy, "b", badPolicy),
                Map.of("own", bothKeys)))).containsExactlyInAnyOrder(
                "bulwark.sts.clients.b.token-exchange.subject-audience: missing (expected: the aud subject tokens must carry, e.g. order-service)",
                "bulwark.sts.clients.b.token-exchange.targets.a.audience: missing (expected: the aud of tokens issued for this target)",
                "bulwark.sts.clients.b.token-exchange.targets.a.scopes: x=y=z (expected: TARGET[=REQUIRED_SUBJECT_SCOPE] of RFC 6749 scope-token characters, e.g. inventory:write=orders:write)",
                "bulwark.sts.clients.n.token-exchange: missing (expected: subject-audience and targets for grant-types urn:ietf:params:oauth:grant-type:token-exchange)",
                "bulwark.sts.trusted-issuers.own.issuer: https://localhost:9443 (expected: another issuer than bulwark.sts.issuer, which is always trusted for token exchange)",
                "bulwark.sts.trusted-issuers.own: (expected: exactly one of jwk-set-uri, jwk-set-file)",
                "bulwark.sts.trusted-issuers.own.jwk-set-uri: ftp://x/jwks (expected: an absolute https URL)",
                "bulwark.sts.trusted-issuers.own.jwks-spiffe-id: nope (expected: spiffe://<trust-domain>/<path>)",
                "bulwark.sts.trusted-issuers.own.grants: implicit (expected: token-exchange or jwt-bearer)",
                "bulwark.sts.trusted-issuers.own.audiences: [] (expected: the aud values accepted, at least one)",
                "bulwark.sts.trusted-issuers.own.carried-claims: sub (expected: a claim the issued token does not set itself, not one of [act, aud, client_id, cnf, exp, iat, iss, jti, may_act, nbf, scope, scp, sub])");
    }
}
