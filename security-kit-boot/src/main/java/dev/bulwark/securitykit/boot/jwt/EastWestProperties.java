package dev.bulwark.securitykit.boot.jwt;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code bulwark.east-west.*}: what this callee accepts as east/west bearer tokens.
 *
 * <pre>
 * bulwark.east-west.audience=inventory-service
 * bulwark.east-west.trusted-issuers[0].issuer=https://localhost:9443
 * bulwark.east-west.trusted-issuers[0].jwk-set-uri=https://localhost:9443/oauth2/jwks
 * bulwark.east-west.trusted-issuers[0].spiffe-id=spiffe://ecomm.local/sts
 * bulwark.east-west.self-issued-signers=spiffe://ecomm.local/order
 * bulwark.east-west.accept-shared.issuer=bulwark-gateway
 * bulwark.east-west.accept-shared.audience=order-service
 * bulwark.east-west.accept-shared.jwk-set-file=.bulwark/keys/gateway-context.pub.jwks
 * </pre>
 *
 * @param audience the {@code aud} tokens must carry; nothing is configured while it is unset
 * @param trustedIssuers the STSs whose tokens are accepted
 * @param selfIssuedSigners SPIFFE IDs whose self-issued tokens are accepted (default none)
 * @param acceptShared the forwarded token accepted as is; off unless {@code issuer} is set
 */
@ConfigurationProperties("bulwark.east-west")
public record EastWestProperties(@Nullable String audience, List<TrustedIssuer> trustedIssuers,
        List<String> selfIssuedSigners, AcceptShared acceptShared) {

    public EastWestProperties {
        trustedIssuers = trustedIssuers == null ? List.of() : List.copyOf(trustedIssuers);
        selfIssuedSigners = selfIssuedSigners == null ? List.of() : List.copyOf(selfIssuedSigners);
        acceptShared = acceptShared == null ? new AcceptShared(null, null, null) : acceptShared;
    }

    /**
     * An STS whose tokens are accepted. Exactly one of {@code jwkSetUri} and {@code jwkSetFile}.
     *
     * @param issuer its {@code iss}
     * @param jwkSetUri its JWK set (https), fetched with the workload's SVID when {@code spiffeId} is
     *     set and workload TLS is configured, otherwise with the JDK's default trust
     * @param jwkSetFile its JWK set in a file
     * @param spiffeId the SPIFFE ID the JWK set server must present
     */
    public record TrustedIssuer(@Nullable String issuer, @Nullable URI jwkSetUri, @Nullable Path jwkSetFile,
            @Nullable String spiffeId) {
    }

    /**
     * The shared-token pattern: a caller forwards the token it received, addressed to itself.
     *
     * @param issuer the shared token's {@code iss} (e.g. {@code bulwark-gateway}); null: off
     * @param audience the {@code aud} it must carry instead of this callee's (e.g. {@code order-service})
     * @param jwkSetFile the issuer's public JWK set
     */
    public record AcceptShared(@Nullable String issuer, @Nullable String audience, @Nullable Path jwkSetFile) {

        /** Whether shared tokens are accepted. */
        public boolean enabled() {
            return issuer != null && !issuer.isBlank();
        }
    }

    /** Every problem of this configuration, empty when there is none. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (audience == null || audience.isBlank()) {
            problems.add("bulwark.east-west.audience: '' (expected: the aud this service accepts)");
        }
        for (int i = 0; i < trustedIssuers.size(); i++) {
            TrustedIssuer issuer = trustedIssuers.get(i);
            String prefix = "bulwark.east-west.trusted-issuers[" + i + "].";
            if (issuer.issuer() == null || issuer.issuer().isBlank()) {
                problems.add(prefix + "issuer: '' (expected: the issuer's iss)");
            }
            if ((issuer.jwkSetUri() == null) == (issuer.jwkSetFile() == null)) {
                problems.add(prefix + "jwk-set-uri/jwk-set-file: " + issuer.jwkSetUri() + "/" + issuer.jwkSetFile()
                        + " (expected: exactly one of them)");
            }
            if (issuer.jwkSetUri() != null && !"https".equalsIgnoreCase(issuer.jwkSetUri().getScheme())) {
                problems.add(prefix + "jwk-set-uri: " + issuer.jwkSetUri() + " (expected: an https:// URI)");
            }
            if (issuer.spiffeId() != null && !issuer.spiffeId().startsWith("spiffe://")) {
                problems.add(prefix + "spiffe-id: " + issuer.spiffeId() + " (expected: spiffe://<trust-domain>/<path>)");
            }
        }
        for (String signer : selfIssuedSigners) {
            if (!signer.startsWith("spiffe://") || signer.length() <= "spiffe://".length()) {
                problems.add("bulwark.east-west.self-issued-signers: " + signer + " (expected: spiffe://<trust-domain>/<path>)");
            }
        }
        if (acceptShared.enabled()) {
            if (acceptShared.audience() == null || acceptShared.audience().isBlank()) {
                problems.add("bulwark.east-west.accept-shared.audience: '' (expected: the shared token's aud)");
            }
            if (acceptShared.jwkSetFile() == null) {
                problems.add("bulwark.east-west.accept-shared.jwk-set-file: none (expected: the shared issuer's JWK set file)");
            }
        }
        return problems;
    }
}
