package dev.bulwark.order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

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

/** The gateway's side of the user-context JWT, for tests: an EC key generated now, its public JWK set in a file. */
public final class TestTokens {

    public static final String ISSUER = "bulwark-gateway";
    public static final String AUDIENCE = "order-service";

    private static final TestTokens GATEWAY = new TestTokens();

    private final ECKey key;
    private final Path jwkSetFile;

    private TestTokens() {
        this.key = newKey();
        try {
            this.jwkSetFile = Files.createTempFile("order-it-", ".jwks");
            Files.writeString(jwkSetFile, new JWKSet(key.toPublicJWK()).toString());
            jwkSetFile.toFile().deleteOnExit();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static TestTokens gateway() {
        return GATEWAY;
    }

    public Path jwkSetFile() {
        return jwkSetFile;
    }

    public static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public String token(String subject, String scope) {
        return sign(key, claims(subject, scope).build());
    }

    public JWTClaimsSet.Builder claims(String subject, String scope) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER)
            .audience(List.of(AUDIENCE))
            .subject(subject)
            .claim("client_id", "orderprocessingapp")
            .claim("scope", scope)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(60)))
            .jwtID(UUID.randomUUID().toString());
    }

    public String sign(JWTClaimsSet claims) {
        return sign(key, claims);
    }

    public static String sign(ECKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
