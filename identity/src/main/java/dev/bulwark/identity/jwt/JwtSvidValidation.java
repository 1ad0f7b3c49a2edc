package dev.bulwark.identity.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The checks of {@link JwtSvidIssuer#validate}, in the order that trusts nothing unverified: the
 * header (JWT-SVID §2), the signature (§4, RFC 7515 §5.2), then the claims (§3). Each failure is a
 * {@link JwtSvidRejectedException} naming the part at fault, never echoing the token or its values.
 */
final class JwtSvidValidation {

    /** JWT-SVID §2: "Any header not described here, registered or private, MUST NOT be included." */
    private static final Set<String> ALLOWED_HEADERS = Set.of("alg", "kid", "typ");

    private JwtSvidValidation() {
    }

    static JwtSvid validate(String token, String audience, TrustDomain trustDomain,
            Function<String, Optional<JWSVerifier>> verifiers, Instant now) {
        if (audience.isBlank()) {
            throw new JwtSvidRejectedException("audience: blank (expected: the validator's audience)");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new JwtSvidRejectedException("token: not a JWS in compact serialization (expected: a signed JWT-SVID)");
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            throw new JwtSvidRejectedException("token alg: unsupported (expected: ES256)");
        }
        if (!ALLOWED_HEADERS.containsAll(header.getIncludedParams())) {
            throw new JwtSvidRejectedException("token header: parameters beyond alg, kid, typ (expected: none, JWT-SVID §2)");
        }
        JOSEObjectType type = header.getType();
        if (type != null && !JOSEObjectType.JWT.equals(type) && !JOSEObjectType.JOSE.equals(type)) {
            throw new JwtSvidRejectedException("token typ: unsupported (expected: JWT or JOSE)");
        }
        String keyId = header.getKeyID();
        JWSVerifier verifier = keyId == null ? null : verifiers.apply(keyId).orElse(null);
        if (verifier == null) {
            throw new JwtSvidRejectedException("token kid: not in the JWT bundle of " + trustDomain + " (expected: a current key)");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new JwtSvidRejectedException("token signature: invalid (expected: signed by the key its kid names)");
            }
        } catch (JOSEException e) {
            throw new JwtSvidRejectedException("token signature: cannot be verified (expected: an ES256 signature)");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new JwtSvidRejectedException("token claims: not a JSON object of JWT claims (expected: RFC 7519 claims)");
        }
        SpiffeId subject = subject(claims, trustDomain);
        List<String> aud = claims.getAudience();
        if (aud.isEmpty()) {
            throw new JwtSvidRejectedException("token aud: missing (expected: at least one audience)");
        }
        if (!aud.contains(audience)) {
            throw new JwtSvidRejectedException("token aud: without the requested audience (expected: aud to contain the validator's audience)");
        }
        Date expiry = claims.getExpirationTime();
        if (expiry == null) {
            throw new JwtSvidRejectedException("token exp: missing (expected: an expiration time)");
        }
        if (!expiry.toInstant().isAfter(now)) {
            throw new JwtSvidRejectedException("token exp: in the past (expected: an unexpired token)");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().isAfter(now)) {
            throw new JwtSvidRejectedException("token nbf: in the future (expected: a token already valid)");
        }
        return new JwtSvid(subject, aud, expiry.toInstant(), claims.toJSONObject(), token);
    }

    private static SpiffeId subject(JWTClaimsSet claims, TrustDomain trustDomain) {
        String sub = claims.getSubject();
        if (sub == null) {
            throw new JwtSvidRejectedException("token sub: missing (expected: a SPIFFE ID)");
        }
        SpiffeId subject;
        try {
            subject = SpiffeId.parse(sub);
        } catch (IllegalArgumentException e) {
            throw new JwtSvidRejectedException("token sub: not a SPIFFE ID (expected: spiffe://" + trustDomain + "/<path>)");
        }
        if (!subject.memberOf(trustDomain)) {
            throw new JwtSvidRejectedException("token sub: another trust domain (expected: an ID in " + trustDomain + ")");
        }
        return subject;
    }
}
