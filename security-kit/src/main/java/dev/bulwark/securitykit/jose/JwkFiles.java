package dev.bulwark.securitykit.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.bulwark.securitykit.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Objects;
import java.util.UUID;

/**
 * Signing keys as JSON Web Keys (RFC 7517) in files: a private key alone in a file of mode 0600,
 * its public half as a JWK set that verifiers read.
 */
public final class JwkFiles {

    private JwkFiles() {
    }

    /** Generates an EC P-256 signing key for ES256 with a random {@code kid}. */
    public static ECKey generateEs256() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC key", e);
        }
    }

    /** Writes the private key (mode 0600). */
    public static void writePrivate(JWK key, Path file) {
        Objects.requireNonNull(key, "key");
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("not a private key: kid " + key.getKeyID());
        }
        PrivateFiles.writeString(file, key.toJSONString());
    }

    /** Writes a JWK set that holds only the public half of {@code key}. */
    public static void writePublicSet(JWK key, Path file) {
        PrivateFiles.writePublicString(file, new JWKSet(key.toPublicJWK()).toString(true));
    }

    /** Reads a private JWK written by {@link #writePrivate}. */
    public static JWK readPrivate(Path file) {
        try {
            JWK key = JWK.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!key.isPrivate()) {
                throw new IllegalArgumentException("no private key in " + file);
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWK: " + file, e);
        }
    }

    /** Reads a JWK set; private members, if any, are dropped. */
    public static JWKSet readPublicSet(Path file) {
        try {
            return JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8)).toPublicJWKSet();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWK set: " + file, e);
        }
    }
}
