package dev.bulwark.sts.key;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtEncodingException;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;

/**
 * Signs with the one key that is current. {@link NimbusJwtEncoder} refuses to choose between several
 * matching keys, so each key gets its own encoder over a JWK source that holds just that key; the
 * JWKS endpoint is served from a different source that publishes every published public key.
 */
final class RotatingJwtEncoder implements JwtEncoder {

    private final KeyRing keyRing;
    private final ConcurrentMap<String, NimbusJwtEncoder> encoders = new ConcurrentHashMap<>();

    RotatingJwtEncoder(KeyRing keyRing) {
        this.keyRing = keyRing;
    }

    @Override
    public Jwt encode(JwtEncoderParameters parameters) throws JwtEncodingException {
        ECKey key = keyRing.signingKey();
        if (encoders.size() > 16) {
            // retired keys: drop their encoders; the current one is recreated below if needed
            encoders.keySet().retainAll(keyRing.keyTimes().stream().map(KeyTimes::kid).toList());
        }
        NimbusJwtEncoder encoder = encoders.computeIfAbsent(key.getKeyID(),
                kid -> new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key))));
        return encoder.encode(parameters);
    }
}
