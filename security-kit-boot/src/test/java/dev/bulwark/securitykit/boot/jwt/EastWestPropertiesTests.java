package dev.bulwark.securitykit.boot.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EastWestPropertiesTests {

    @Test
    void problemsWhenEverythingIsWrongThenEachIsListed() {
        EastWestProperties properties = new EastWestProperties(" ",
                List.of(new EastWestProperties.TrustedIssuer(null, URI.create("http://sts/jwks"), Path.of("x.jwks"), "sts")),
                List.of("order"), new EastWestProperties.AcceptShared("bulwark-gateway", null, null));

        assertThat(properties.problems()).containsExactly(
                "bulwark.east-west.audience: '' (expected: the aud this service accepts)",
                "bulwark.east-west.trusted-issuers[0].issuer: '' (expected: the issuer's iss)",
                "bulwark.east-west.trusted-issuers[0].jwk-set-uri/jwk-set-file: http://sts/jwks/x.jwks (expected: exactly one of them)",
                "bulwark.east-west.trusted-issuers[0].jwk-set-uri: http://sts/jwks (expected: an https:// URI)",
                "bulwark.east-west.trusted-issuers[0].spiffe-id: sts (expected: spiffe://<trust-domain>/<path>)",
                "bulwark.east-west.self-issued-signers: order (expected: spiffe://<trust-domain>/<path>)",
                "bulwark.east-west.accept-shared.audience: '' (expected: the shared token's aud)",
                "bulwark.east-west.accept-shared.jwk-set-file: none (expected: the shared issuer's JWK set file)");
    }

    @Test
    void problemsWhenDefaultsAndAudienceThenNone() {
        EastWestProperties properties = new EastWestProperties("inventory-service", null, null, null);

        assertThat(properties.problems()).isEmpty();
        assertThat(properties.acceptShared().enabled()).isFalse();
    }
}
