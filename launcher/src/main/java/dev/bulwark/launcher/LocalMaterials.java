package dev.bulwark.launcher;

import com.nimbusds.jose.jwk.ECKey;
import dev.bulwark.securitykit.PrivateFiles;
import dev.bulwark.securitykit.jose.JwkFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The key material of local mode under {@code .bulwark/}, generated at first run and reused after:
 * the gateway's user-context signing key and the gateway's client secret at the STS (never committed
 * or logged), and the policy directory seeded with the built-in Cedar policies.
 *
 * <p>TLS keys are not here: each component gets its X.509-SVID from the identity process through
 * the Workload API ({@link #workloadSocket()}), and the identity process owns the workload CA under
 * {@code pki/} and writes the trust bundle ({@link #trustBundle()}). The logistics trust domain keeps
 * its own files under {@code <home>/logistics} ({@link Domain#logistics}): its identity process makes
 * its CA there, its STS its key-encryption key.
 */
final class LocalMaterials {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String POLICY_DEFAULTS = "/dev/bulwark/policy/default/";
    private static final List<String> POLICY_FILES = List.of("policies.cedar", "schema.cedarschema", "entities.json");

    private final Path home;

    LocalMaterials(Path home) {
        this.home = home;
    }

    Path pki() {
        return home.resolve("pki");
    }

    /** The workload CA's trust bundle (all roots, PEM), written by the identity process. */
    Path trustBundle() {
        return pki().resolve("bundle.pem");
    }

    /** The SPIFFE Workload API socket the identity process serves. */
    Path workloadSocket() {
        return home.resolve("identity").resolve("agent.sock");
    }

    Path userContextKey() {
        return home.resolve("keys/gateway-context.jwk");
    }

    Path userContextPublicKeys() {
        return home.resolve("keys/gateway-context.pub.jwks");
    }

    Path gatewayClientSecret() {
        return home.resolve("secrets/bulwark-gateway-client-secret");
    }

    Path stsKeyEncryptionKey() {
        return home.resolve("keys/sts-kek");
    }

    /**
     * The Cedar policy directory that the gateway and the order service both read and reload on change:
     * seeded with the built-in policies, schema and entity data at first run, then the user's to edit.
     */
    Path policy() {
        return home.resolve("policy");
    }

    /** Creates whatever is missing, for ecomm and the logistics home. */
    void ensure() {
        Registrations.createPrivateDirectory(workloadSocket().getParent());
        Registrations.createPrivateDirectory(Domain.logistics(home).home());
        Registrations.createPrivateDirectory(Domain.logistics(home).workloadSocket().getParent());
        if (!Files.exists(userContextKey()) || !Files.exists(userContextPublicKeys())) {
            ECKey key = JwkFiles.generateEs256();
            JwkFiles.writePrivate(key, userContextKey());
            JwkFiles.writePublicSet(key, userContextPublicKeys());
        }
        if (!Files.exists(gatewayClientSecret())) {
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            PrivateFiles.writeString(gatewayClientSecret(), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        }
        if (!Files.isDirectory(policy())) {
            seedPolicy();
        }
    }

    /** Copies the policy module's defaults into a new {@link #policy()} (written whole, then moved in place). */
    private void seedPolicy() {
        try {
            Path staging = Files.createTempDirectory(home, ".policy-");
            for (String name : POLICY_FILES) {
                try (InputStream in = LocalMaterials.class.getResourceAsStream(POLICY_DEFAULTS + name)) {
                    if (in == null) {
                        throw new IllegalStateException("the launcher jar lacks " + POLICY_DEFAULTS + name
                                + " (expected from bulwark-policy); rebuild with ./mvnw install");
                    }
                    Files.copy(in, staging.resolve(name));
                }
            }
            Files.move(staging, policy(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the default policies to " + policy(), e);
        }
    }
}
