package dev.bulwark.securitykit.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.securitykit.tls.SvidSupplier;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Signs JWTs with this workload's X.509-SVID private key, the SVID chain in the {@code x5c} header
 * (RFC 7515 §4.1.6: leaf first, base64 DER, no root), so a callee that trusts the SVID's trust domain
 * can verify them without any key distribution:
 *
 * <ul>
 *   <li>{@link #selfIssued}: {@code iss} = this workload's SPIFFE ID, {@code sub} the end user,
 *       {@code aud}, {@code scope}, {@code iat}, {@code exp} (the configured lifetime, at most 60 s),
 *       {@code jti}; header {@code typ: JWT};
 *   <li>{@link #nested}: an outer JWS (header {@code cty: JWT}, RFC 7519 §5.2) whose payload is an
 *       STS-issued token, proving that the client the token was issued to is the one presenting it.
 * </ul>
 *
 * <p>The algorithm follows the key: ES256 for EC P-256 (ES384/ES512 for P-384/P-521), RS256 for RSA.
 * The current SVID is read on every call, so a renewed SVID signs from the next token on.
 */
public final class WorkloadJwtSigner {

    /** The longest lifetime of a self-issued token. */
    public static final Duration MAX_LIFETIME = Duration.ofSeconds(60);

    private final SvidSupplier svids;
    private final Clock clock;
    private final Duration lifetime;

    /**
     * A signer for the SVIDs of {@code svids}, with tokens valid for {@code lifetime} (1 s to 60 s).
     */
    public WorkloadJwtSigner(SvidSupplier svids, Clock clock, Duration lifetime) {
        this.svids = Objects.requireNonNull(svids, "svids");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("lifetime: " + lifetime + " (expected: PT1S to PT60S)");
        }
        this.lifetime = lifetime;
    }

    /**
     * A self-issued JWT for {@code subject} addressed to {@code audience} with {@code scopes}.
     *
     * @throws IllegalStateException when the SVID has no SPIFFE ID or its key cannot sign
     */
    public String selfIssued(String subject, String audience, Set<String> scopes) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(scopes, "scopes");
        Svid svid = svids.svid();
        String spiffeId = SpiffeTls.spiffeIdOf(svid.leaf())
                .orElseThrow(() -> new IllegalStateException("the SVID's leaf has no SPIFFE ID"));
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(spiffeId)
                .subject(subject)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
        if (!scopes.isEmpty()) {
            claims.claim("scope", String.join(" ", new TreeSet<>(scopes)));
        }
        SignedJWT jwt = new SignedJWT(header(svid).type(JOSEObjectType.JWT).build(), claims.build());
        sign(jwt, svid);
        return jwt.serialize();
    }

    /**
     * Wraps {@code innerJwt} (a compact JWS, typically an STS-issued token addressed to the callee) in
     * a JWS signed with the SVID key: header {@code cty: JWT} and {@code x5c}, payload the inner token.
     *
     * @throws IllegalArgumentException when {@code innerJwt} is not a compact JWS
     */
    public String nested(String innerJwt) {
        Objects.requireNonNull(innerJwt, "innerJwt");
        try {
            JWSObject.parse(innerJwt);
        } catch (ParseException e) {
            throw new IllegalArgumentException("innerJwt: not a compact JWS (expected: header.payload.signature)");
        }
        Svid svid = svids.svid();
        JWSObject outer = new JWSObject(header(svid).contentType("JWT").build(), new Payload(innerJwt));
        sign(outer, svid);
        return outer.serialize();
    }

    private static JWSHeader.Builder header(Svid svid) {
        List<Base64> x5c = new ArrayList<>();
        for (X509Certificate certificate : svid.chain()) {
            try {
                x5c.add(Base64.encode(certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("cannot encode the SVID chain", e);
            }
        }
        return new JWSHeader.Builder(algorithm(svid.privateKey())).x509CertChain(x5c);
    }

    private static JWSAlgorithm algorithm(PrivateKey key) {
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits <= 256 ? JWSAlgorithm.ES256 : bits <= 384 ? JWSAlgorithm.ES384 : JWSAlgorithm.ES512;
        }
        if (key instanceof RSAKey) {
            return JWSAlgorithm.RS256;
        }
        if ("EC".equals(key.getAlgorithm())) {
            return JWSAlgorithm.ES256;
        }
        throw new IllegalStateException("SVID key algorithm: " + key.getAlgorithm() + " (expected: EC or RSA)");
    }

    private static void sign(JWSObject object, Svid svid) {
        PrivateKey key = svid.privateKey();
        try {
            JWSSigner signer = object.getHeader().getAlgorithm().getName().startsWith("ES")
                    ? new ECDSASigner(key, com.nimbusds.jose.jwk.Curve.forJWSAlgorithm(object.getHeader().getAlgorithm())
                            .iterator().next())
                    : new RSASSASigner(key);
            object.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with the SVID key: " + e.getMessage(), e);
        }
    }
}
