package dev.bulwark.gateway.context;

import dev.bulwark.securitykit.crypto.CryptoProviders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs the short-lived user-context JWT (ES256, {@code kid}) that carries the caller's identity to an
 * upstream service in place of the caller's own access token.
 */
public final class UserContextSigner {

    private static final Logger log = LoggerFactory.getLogger(UserContextSigner.class);

    private final ECKey key;
    private final ECDSASigner signer;
    private final String issuer;
    private final Duration lifetime;
    private final Clock clock;

    public UserContextSigner(ECKey key, String issuer, Duration lifetime, Clock clock) {
        if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve()) || key.getKeyID() == null) {
            throw new IllegalArgumentException("user-context key: " + key.getKeyType() + "/" + key.getCurve()
                    + " (expected: a private EC P-256 JWK with a kid)");
        }
        this.key = key;
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            this.signer = new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("user-context key: unusable for ES256", e);
        }
        CryptoProviders.preferred().ifPresent(provider -> signer.getJCAContext().setProvider(provider));
    }

    /** The key from {@code keyFile} (a private EC JWK as Nimbus writes it), or a fresh in-memory key. */
    public static ECKey loadOrGenerate(@Nullable Path keyFile) {
        if (keyFile == null) {
            log.warn("event=user_context_key_generated reason=no_key_file effect=upstreams_cannot_verify_across_restarts");
            try {
                return new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot generate an EC P-256 key", e);
            }
        }
        try {
            JWK jwk = JWK.parse(Files.readString(keyFile, StandardCharsets.UTF_8));
            if (!(jwk instanceof ECKey ec)) {
                throw new IllegalArgumentException("bulwark.gateway.user-context.key-file: " + jwk.getKeyType()
                        + " key (expected: a private EC P-256 JWK)");
            }
            return ec;
        } catch (IOException | ParseException e) {
            throw new IllegalArgumentException("bulwark.gateway.user-context.key-file: " + keyFile
                    + " unreadable (expected: a private EC P-256 JWK)", e);
        }
    }

    public ECKey publicKey() {
        return key.toPublicJWK();
    }

    public String sign(CallerIdentity caller, String audience) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(caller.subject())
                .claim("client_id", caller.clientId())
                .claim("scope", String.join(" ", caller.scopes()))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("user-context JWT could not be signed", e);
        }
        return jwt.serialize();
    }
}
