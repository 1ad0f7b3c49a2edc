package dev.bulwark.order.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the order service, bound from {@code bulwark.order.*}. Every default is written here once;
 * a wrong configuration fails at start-up with every problem listed.
 *
 * @param userContext how the gateway's user-context JWT is verified
 * @param maxBodySize largest request body accepted; larger bodies get 413 before they are parsed
 */
@ConfigurationProperties("bulwark.order")
public record OrderProperties(@DefaultValue UserContext userContext, @DefaultValue("16KB") DataSize maxBodySize) {

    public OrderProperties {
        List<String> problems = new ArrayList<>();
        if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > DataSize.ofMegabytes(1).toBytes()) {
            problems.add("bulwark.order.max-body-size: " + maxBodySize + " (expected: 1B..1MB)");
        }
        problems.addAll(userContext.problems());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid order service configuration: " + String.join("; ", problems));
        }
    }

    /**
     * @param issuer required {@code iss} of the user-context JWT
     * @param audience value the {@code aud} claim must contain
     * @param jwkSetFile file holding the gateway's public JWK set (required; no default)
     */
    public record UserContext(@DefaultValue("bulwark-gateway") String issuer,
            @DefaultValue("order-service") String audience, @Nullable Path jwkSetFile) {

        List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (issuer.isBlank()) {
                problems.add("bulwark.order.user-context.issuer is blank (expected: the gateway's issuer, e.g. bulwark-gateway)");
            }
            if (audience.isBlank()) {
                problems.add("bulwark.order.user-context.audience is blank (expected: e.g. order-service)");
            }
            if (jwkSetFile == null) {
                problems.add("bulwark.order.user-context.jwk-set-file is not set (expected: the path of the gateway's"
                        + " public JWK set, e.g. .bulwark/keys/gateway-context.pub.jwks)");
            }
            return problems;
        }

        /** The JWK set file; only call after the properties have been validated. */
        public Path requiredJwkSetFile() {
            if (jwkSetFile == null) {
                throw new IllegalStateException("bulwark.order.user-context.jwk-set-file is not set");
            }
            return jwkSetFile;
        }
    }
}
