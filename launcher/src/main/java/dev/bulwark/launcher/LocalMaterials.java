package dev.bulwark.launcher;

import com.nimbusds.jose.jwk.ECKey;
import dev.bulwark.securitykit.PrivateFiles;
import dev.bulwark.securitykit.jose.JwkFiles;
import dev.bulwark.securitykit.pki.LocalCa;
import dev.bulwark.securitykit.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The key material of local mode under {@code .bulwark/}, generated at first run and reused after:
 * the local CA, a TLS certificate per component, the gateway's user-context signing key and the
 * gateway's client secret at the STS. Nothing here is ever committed or logged.
 */
final class LocalMaterials {

    static final List<String> COMPONENTS = List.of("sts", "gateway", "order");
    private static final Duration LEAF_LIFETIME = Duration.ofDays(30);
    private static final Duration RENEW_BEFORE = Duration.ofDays(2);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path home;

    LocalMaterials(Path home) {
        this.home = home;
    }

    Path pki() {
        return home.resolve("pki");
    }

    Path caCertificate() {
        return pki().resolve("ca.pem");
    }

    Path certificate(String component) {
        return pki().resolve(component + ".crt");
    }

    Path privateKey(String component) {
        return pki().resolve(component + ".key");
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

    /** Creates whatever is missing; renews a component certificate that is about to expire. */
    void ensure() {
        LocalCa ca = LocalCa.loadOrCreate(caCertificate(), pki().resolve("ca.key"), "Bulwark local CA");
        for (String component : COMPONENTS) {
            if (needsCertificate(component)) {
                ca.issueForLoopback(component, LEAF_LIFETIME).writeTo(certificate(component), privateKey(component));
            }
        }
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

    private boolean needsCertificate(String component) {
        if (!Files.exists(certificate(component)) || !Files.exists(privateKey(component))) {
            return true;
        }
        Instant notAfter = Pem.readCertificate(certificate(component)).getNotAfter().toInstant();
        return notAfter.isBefore(Instant.now().plus(RENEW_BEFORE));
    }
}
