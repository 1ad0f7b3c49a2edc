package dev.bulwark.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.securitykit.jose.JwkFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Mints the user-context JWT the gateway would send upstream, with the gateway's local key, so
 * that a benchmark can call the order service directly (the baseline of the gateway's cost).
 * Usage: {@code MintUserContext <home> <sub> <scope>}.
 */
public final class MintUserContext {

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        ECKey key = JwkFiles.readPrivate(home.resolve("keys/gateway-context.jwk")).toECKey();
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder()
                        .issuer("bulwark-gateway").audience("order-service").subject(args[1])
                        .claim("client_id", "orderprocessingapp").claim("scope", args[2])
                        .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(900))).jwtID(UUID.randomUUID().toString())
                        .build());
        jwt.sign(new ECDSASigner(key));
        System.out.println(jwt.serialize());
    }
}
