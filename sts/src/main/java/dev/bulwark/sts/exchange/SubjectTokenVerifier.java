package dev.bulwark.sts.exchange;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Verifies a subject token (RFC 8693 §2.1) or assertion (RFC 7523 §3) against the trusted issuers:
 * a JWS (never {@code alg: none}) whose {@code iss} is trusted for the grant, signed by one of that
 * issuer's keys with an asymmetric algorithm, with {@code sub} and {@code exp}, not expired and
 * already valid (30 s skew), carrying one of the issuer's accepted audiences. Everything else is
 * {@code invalid_grant}; the reason is logged by the caller, never the token.
 */
final class SubjectTokenVerifier {

    private static final Logger log = LoggerFactory.getLogger(SubjectTokenVerifier.class);
    static final Duration SKEW = Duration.ofSeconds(30);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256,
            JWSAlgorithm.PS384, JWSAlgorithm.PS512);

    private final Map<String, IssuerTrust> issuers;
    private final Map<String, DefaultJWTProcessor<SecurityContext>> processors = new HashMap<>();
    private final Clock clock;

    SubjectTokenVerifier(List<IssuerTrust> trusted, Clock clock) {
        this.clock = clock;
        Map<String, IssuerTrust> byIssuer = new HashMap<>();
        for (IssuerTrust t : trusted) {
            byIssuer.put(t.issuer(), t);
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, t.keys()));
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                    new JOSEObjectType("at+jwt"), null));
            // claims are checked below, against the injected clock
            processor.setJWTClaimsSetVerifier((claims, context) -> { });
            processors.put(t.issuer(), processor);
        }
        this.issuers = Map.copyOf(byIssuer);
    }

    /** The issuers trusted, by {@code iss}. */
    Set<String> issuers() {
        return issuers.keySet();
    }

    VerifiedToken verify(String token, String grant) {
        SignedJWT jwt;
        JWTClaimsSet unverified;
        try {
            jwt = SignedJWT.parse(token);
            unverified = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refused("malformed");
        }
        String iss = unverified.getIssuer();
        IssuerTrust trust = iss == null ? null : issuers.get(iss);
        if (trust == null || !trust.grants().contains(grant)) {
            throw refused("untrusted_issuer");
        }
        if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
            throw refused("bad_algorithm");
        }
        JWTClaimsSet claims;
        try {
            claims = processors.get(iss).process(jwt, null);
        } catch (BadJOSEException e) {
            throw refused("bad_signature");
        } catch (KeySourceException e) {
            log.warn("event=sts.issuer_keys_unavailable issuer={} reason={}", iss, e.getClass().getSimpleName());
            throw refused("issuer_keys_unavailable");
        } catch (JOSEException e) {
            throw refused("bad_signature");
        }
        return checkClaims(trust, claims);
    }

    private VerifiedToken checkClaims(IssuerTrust trust, JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw refused("missing_exp");
        }
        if (exp.toInstant().plus(SKEW).isBefore(now)) {
            throw refused("expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(SKEW).isAfter(now)) {
            throw refused("not_yet_valid");
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) {
            throw refused("missing_sub");
        }
        List<String> aud = claims.getAudience();
        if (!trust.audiences().isEmpty() && aud.stream().noneMatch(trust.audiences()::contains)) {
            throw refused("wrong_audience");
        }
        Map<String, Object> act;
        try {
            act = claims.getJSONObjectClaim("act");
        } catch (ParseException e) {
            throw refused("malformed_act");
        }
        if (act != null && !(act.get("sub") instanceof String)) {
            throw refused("malformed_act");
        }
        Map<String, Object> carried = new HashMap<>();
        for (String name : trust.carriedClaims()) {
            Object value = claims.getClaim(name);
            if (value != null) {
                carried.put(name, value);
            }
        }
        return new VerifiedToken(trust.issuer(), sub, aud, scopes(claims), act, claims.getJWTID(), exp.toInstant(),
                carried);
    }

    // RFC 9068 / RFC 8693 §4.2: scope is a space-separated string; some issuers use a scp array
    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = new LinkedHashSet<>();
        if (claims.getClaim("scope") instanceof String s && !s.isBlank()) {
            scopes.addAll(List.of(s.strip().split("\\s+")));
        }
        if (claims.getClaim("scp") instanceof List<?> list) {
            list.forEach(v -> scopes.add(String.valueOf(v)));
        }
        return scopes;
    }

    static GrantRefusedException refused(String reason) {
        return new GrantRefusedException(OAuth2ErrorCodes.INVALID_GRANT, reason);
    }

    static @Nullable String actSub(@Nullable Map<String, Object> act) {
        return act != null && act.get("sub") instanceof String s ? s : null;
    }
}
