package dev.bulwark.securitykit.boot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * An STS's signing side for tests: an EC P-256 key generated now, its public JWK set in a temporary file, and
 * tokens shaped like the STS's exchanged tokens (RFC 8693: {@code iss}, {@code sub}, {@code aud},
 * {@code scope}, {@code client_id}, {@code act}, {@code iat}, {@code nbf}, {@code exp}, {@code jti}).
 */
public final class TestSts {

    private final String issuer;
    private final ECKey key;
    private final Path jwkSetFile;

    public TestSts(String issuer) {
        this.issuer = issuer;
        try {
            this.key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
            this.jwkSetFile = Files.createTempFile("sts-", ".jwks");
            Files.writeString(jwkSetFile, new JWKSet(key.toPublicJWK()).toString());
            jwkSetFile.toFile().deleteOnExit();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public String issuer() {
        return issuer;
    }

    public Path jwkSetFile() {
        return jwkSetFile;
    }

    /** An exchanged token for {@code subject}, issued to {@code clientId}, acted for by {@code act}. */
    public String exchanged(String subject, String audience, String scope, String clientId, Map<String, Object> act) {
        return token(claims -> claims.subject(subject)
            .audience(audience)
            .claim("scope", scope)
            .claim("client_id", clientId)
            .claim("act", act));
    }

    /** A token with the standard claims set and then changed by {@code customizer}. */
    public String token(Consumer<JWTClaimsSet.Builder> customizer) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(300)))
            .jwtID(UUID.randomUUID().toString());
        customizer.accept(claims);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    claims.build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
