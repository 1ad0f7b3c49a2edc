package dev.bulwark.identity.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One signing key; {@code lastExpiry} and {@code retireAt} are guarded by the issuer's lock. */
final class SigningKey {

    /** SPIFFE Trust Domain and Bundle §4.1: the {@code use} of a JWT-SVID signing key in a bundle. */
    static final KeyUse JWT_SVID_USE = new KeyUse("jwt-svid");

    final ECKey jwk;
    final JWSSigner signer;
    final JWSVerifier verifier;
    Instant lastExpiry = Instant.EPOCH;
    @Nullable Instant retireAt;

    private SigningKey(ECKey jwk, JWSSigner signer, JWSVerifier verifier) {
        this.jwk = jwk;
        this.signer = signer;
        this.verifier = verifier;
    }

    static SigningKey generate() {
        try {
            ECKey jwk = new ECKeyGenerator(Curve.P_256)
                    .keyUse(JWT_SVID_USE)
                    .keyIDFromThumbprint(true)
                    .generate();
            return new SigningKey(jwk, new ECDSASigner(jwk), new ECDSAVerifier(jwk.toPublicJWK()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC P-256 JWT-SVID signing key", e);
        }
    }
}
