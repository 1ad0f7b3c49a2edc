package dev.bulwark.securitykit.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** An ES256 issuer key (an STS, the gateway) that mints test tokens. */
final class Tokens {

    final String issuer;
    final ECKey key;

    Tokens(String issuer, String kid) {
        this.issuer = issuer;
        try {
            this.key = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    JWKSource<SecurityContext> keys() {
        return new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK()));
    }

    /** An exchanged token as the STS issues it: sub, aud, scope, client_id, act, 5 minutes. */
    String exchanged(String subject, String audience, String scope, String clientId, Map<String, Object> act) {
        return sign(claims -> claims.subject(subject).audience(audience).claim("scope", scope)
                .claim("client_id", clientId).claim("act", act));
    }

    /** A token with the default claims (iss, iat, nbf, exp in 5 min, jti), then {@code custom}. */
    String sign(Consumer<JWTClaimsSet.Builder> custom) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).issueTime(Date.from(now))
                .notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString());
        custom.accept(claims);
        return signWith(key, claims.build());
    }

    static String signWith(ECKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
