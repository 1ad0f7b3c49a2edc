package dev.bulwark.launcher;

import com.nimbusds.jose.jwk.ECKey;
import dev.bulwark.securitykit.PrivateFiles;
import dev.bulwark.securitykit.jose.JwkFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key material of local mode under {@code .bulwark/}, generated at first run and reused after:
 * the gateway's user-context signing key and the gateway's client secret at the STS. Nothing here
 * is ever committed or logged.
 *
 * <p>TLS keys are not here: each component gets its X.509-SVID from the identity process through
 * the Workload API ({@link #workloadSocket()}), and the identity process owns the workload CA under
 * {@code pki/} and writes the trust bundle ({@link #trustBundle()}). The logistics trust domain keeps
 * its own files under {@code <home>/logistics} ({@link Domain#logistics}): its identity process makes
 * its CA there, its STS its key-encryption key.
 */
final class LocalMaterials {

    private static final SecureRandom RANDOM = new SecureRandom();

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
    }
}
