package dev.bulwark.securitykit.jwt;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.bulwark.securitykit.jwt.TokenRefusedException.Reason;
import dev.bulwark.securitykit.jwt.VerifiedCaller.Pattern;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.SvidSupplier;
import java.security.Key;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Verifies the bearer token of an east/west call and tells which pattern it follows:
 *
 * <ul>
 *   <li><b>nested</b> (header {@code cty: JWT}, RFC 7519 §5.2): the outer JWS's {@code x5c} chain
 *       validates against the bundle of the signer's trust domain and its key verifies the
 *       signature; the payload is an STS-issued token verified as below; the outer signer's SPIFFE ID
 *       equals the inner token's {@code act.sub} (RFC 8693 §4.1, the client it was issued to) and the
 *       mTLS peer's SPIFFE ID. The outer signer need not be a configured self-issued signer: the
 *       STS's {@code act} is the authority.
 *   <li><b>self-issued</b> ({@code x5c} header and a {@code spiffe://} issuer): the chain validates
 *       (PKIX, bundle of the signer's trust domain), its leaf's SPIFFE ID is {@code iss}, {@code iss}
 *       is a configured self-issued signer and is the mTLS peer; signature by the leaf key, {@code
 *       aud}, {@code exp} (at most 60 s ahead).
 *   <li><b>exchanged</b> (anything else): {@code iss} is a trusted issuer, signed by one of its keys
 *       ({@code kid}), not expired, {@code aud} contains this callee's audience (RFC 7519 §4.1.3).
 *   <li><b>shared</b>: as exchanged, but issuer and audience are the configured shared pair (the
 *       caller forwards its own incoming token); refused unless configured.
 * </ul>
 *
 * <p>Accepted algorithms: ES256/384/512, RS256/384/512, PS256/384/512; never {@code none} nor HMAC.
 * {@code exp} and {@code sub} are required. Refusals throw {@link TokenRefusedException} with a
 * reason; nothing here logs.
 */
public final class EastWestVerifier {

    /** The longest {@code sub} accepted: what the services store with what the user owns. */
    public static final int MAX_SUBJECT_LENGTH = 255;

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256,
            JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    private static final String SPIFFE = "spiffe://";
    private static final int MAX_ACT_DEPTH = 10;
    private static final int MAX_TOKEN_CHARS = 16 * 1024;

    private record Shared(String issuer, String audience, JWKSource<SecurityContext> keys) {
    }

    private final String audience;
    private final Map<String, JWKSource<SecurityContext>> trustedIssuers;
    private final Set<String> selfIssuedSigners;
    private final @Nullable SvidSupplier svids;
    private final @Nullable Shared shared;
    private final Clock clock;
    private final Duration skew;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

    private EastWestVerifier(Builder builder) {
        this.audience = Objects.requireNonNull(builder.audience, "audience");
        this.trustedIssuers = Map.copyOf(builder.trustedIssuers);
        this.selfIssuedSigners = Set.copyOf(builder.selfIssuedSigners);
        this.svids = builder.svids;
        this.shared = builder.shared;
        this.clock = builder.clock;
        this.skew = builder.skew;
    }

    /** A builder; {@link Builder#audience} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The audience this callee accepts ({@code aud}). */
    public String audience() {
        return audience;
    }

    /**
     * Verifies {@code token} presented on a request whose mTLS peer is {@code peerSpiffeId} (null: no
     * client certificate, so self-issued and nested tokens are refused).
     *
     * @throws TokenRefusedException when the token is not acceptable; its reason says why
     */
    public VerifiedCaller verify(String token, @Nullable String peerSpiffeId) throws TokenRefusedException {
        Objects.requireNonNull(token, "token");
        JWSObject jws = parse(token);
        JWSHeader header = jws.getHeader();
        if (header.getContentType() != null && header.getContentType().equalsIgnoreCase("JWT")) {
            return verifyNested(jws, peerSpiffeId);
        }
        JWTClaimsSet claims = claimsOf(jws);
        if (header.getX509CertChain() != null && claims.getIssuer() != null
                && claims.getIssuer().toLowerCase(Locale.ROOT).startsWith(SPIFFE)) {
            return verifySelfIssued(jws, claims, peerSpiffeId);
        }
        return verifyIssued(jws, claims, true);
    }

    private VerifiedCaller verifyNested(JWSObject outer, @Nullable String peerSpiffeId) {
        Instant now = clock.instant();
        X5cChains.Signer signer = X5cChains.validate(outer.getHeader(), svids, Date.from(now));
        verifySignature(outer, signer.leaf().getPublicKey(), "signer " + signer.spiffeId());
        String innerToken = outer.getPayload().toString();
        JWSObject inner = parse(innerToken);
        if (inner.getHeader().getContentType() != null || inner.getHeader().getX509CertChain() != null) {
            throw new TokenRefusedException(Reason.MALFORMED,
                    "nested payload: a nested or self-issued token (expected: an STS-issued JWT)");
        }
        VerifiedCaller caller = verifyIssued(inner, claimsOf(inner), false);
        String client = caller.actors().isEmpty() ? null : caller.actors().get(0);
        if (!signer.spiffeId().equals(client)) {
            throw new TokenRefusedException(Reason.NESTED_SIGNER_MISMATCH, "outer signer " + signer.spiffeId()
                    + " (expected: the inner token's act.sub " + client + ")");
        }
        requirePeer(signer.spiffeId(), peerSpiffeId);
        return new VerifiedCaller(caller.subject(), caller.issuer(), caller.clientId(), caller.scopes(), caller.actors(),
                Pattern.NESTED);
    }

    private VerifiedCaller verifySelfIssued(JWSObject jws, JWTClaimsSet claims, @Nullable String peerSpiffeId) {
        String issuer = Objects.requireNonNull(claims.getIssuer());
        Instant now = clock.instant();
        X5cChains.Signer signer = X5cChains.validate(jws.getHeader(), svids, Date.from(now));
        if (!signer.spiffeId().equals(issuer)) {
            throw new TokenRefusedException(Reason.UNTRUSTED_CHAIN, "x5c leaf " + signer.spiffeId()
                    + " (expected: the issuer " + issuer + ")");
        }
        if (!selfIssuedSigners.contains(issuer)) {
            throw new TokenRefusedException(Reason.UNTRUSTED_SIGNER, "self-issued signer " + issuer
                    + " (expected: one of " + selfIssuedSigners + ")");
        }
        requirePeer(issuer, peerSpiffeId);
        verifySignature(jws, signer.leaf().getPublicKey(), "signer " + issuer);
        checkAudience(claims, audience);
        checkTimes(claims, now);
        Instant exp = claims.getExpirationTime().toInstant();
        Duration max = WorkloadJwtSigner.MAX_LIFETIME.plus(skew);
        if (exp.isAfter(now.plus(max)) || (claims.getIssueTime() != null
                && Duration.between(claims.getIssueTime().toInstant(), exp).compareTo(WorkloadJwtSigner.MAX_LIFETIME) > 0)) {
            throw new TokenRefusedException(Reason.LIFETIME_TOO_LONG, "exp " + exp + " (expected: at most "
                    + WorkloadJwtSigner.MAX_LIFETIME + " after iat and now)");
        }
        return new VerifiedCaller(subjectOf(claims), issuer, stringClaim(claims, "client_id"), scopesOf(claims),
                List.of(issuer), Pattern.SELF_ISSUED);
    }

    private VerifiedCaller verifyIssued(JWSObject jws, JWTClaimsSet claims, boolean sharedAllowed) {
        String issuer = claims.getIssuer();
        if (issuer == null) {
            throw new TokenRefusedException(Reason.MALFORMED, "claim iss: none (expected: the issuer)");
        }
        JWKSource<SecurityContext> keys = trustedIssuers.get(issuer);
        String expectedAudience = audience;
        Pattern pattern = Pattern.EXCHANGED;
        Shared accepted = shared;
        if (keys == null && sharedAllowed && accepted != null && accepted.issuer().equals(issuer)) {
            keys = accepted.keys();
            expectedAudience = accepted.audience();
            pattern = Pattern.SHARED;
        }
        if (keys == null) {
            throw new TokenRefusedException(Reason.UNTRUSTED_ISSUER, "iss " + issuer + " (expected: one of "
                    + trustedIssuers.keySet() + ")");
        }
        verifyWithKeys(jws, keys, issuer);
        checkTimes(claims, clock.instant());
        checkAudience(claims, expectedAudience);
        List<String> actors = pattern == Pattern.SHARED ? List.of() : actorsOf(claims);
        return new VerifiedCaller(subjectOf(claims), issuer, stringClaim(claims, "client_id"), scopesOf(claims), actors,
                pattern);
    }

    private void verifyWithKeys(JWSObject jws, JWKSource<SecurityContext> source, String issuer) {
        List<JWK> candidates;
        try {
            candidates = source.get(new JWKSelector(JWKMatcher.forJWSHeader(jws.getHeader())), null);
        } catch (KeySourceException e) {
            throw new TokenRefusedException(Reason.BAD_SIGNATURE, "keys of " + issuer + " unavailable: " + e.getMessage());
        }
        for (JWK candidate : candidates) {
            for (Key key : KeyConverter.toJavaKeys(List.of(candidate))) {
                if (key instanceof PublicKey publicKey && verifies(jws, publicKey)) {
                    return;
                }
            }
        }
        throw new TokenRefusedException(Reason.BAD_SIGNATURE, "kid " + jws.getHeader().getKeyID()
                + ": the signature does not verify with any key of " + issuer);
    }

    private void verifySignature(JWSObject jws, PublicKey key, String who) {
        if (!verifies(jws, key)) {
            throw new TokenRefusedException(Reason.BAD_SIGNATURE, "the signature does not verify with the key of " + who);
        }
    }

    private boolean verifies(JWSObject jws, PublicKey key) {
        try {
            return jws.verify(verifiers.createJWSVerifier(jws.getHeader(), key));
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    private void requirePeer(String signer, @Nullable String peerSpiffeId) {
        if (!signer.equals(peerSpiffeId)) {
            throw new TokenRefusedException(Reason.SIGNER_NOT_PEER, "signer " + signer + " (expected: the mTLS peer "
                    + (peerSpiffeId == null ? "<none>" : peerSpiffeId) + ")");
        }
    }

    private void checkTimes(JWTClaimsSet claims, Instant now) {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new TokenRefusedException(Reason.MALFORMED, "claim exp: none (expected: an expiry)");
        }
        if (!now.minus(skew).isBefore(exp.toInstant())) {
            throw new TokenRefusedException(Reason.EXPIRED, "exp " + exp.toInstant() + " (expected: after " + now + ")");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) {
            throw new TokenRefusedException(Reason.NOT_YET_VALID, "nbf " + nbf.toInstant() + " (expected: before " + now + ")");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(skew))) {
            throw new TokenRefusedException(Reason.NOT_YET_VALID, "iat " + iat.toInstant() + " (expected: before " + now + ")");
        }
    }

    private static void checkAudience(JWTClaimsSet claims, String expected) {
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(expected)) {
            throw new TokenRefusedException(Reason.WRONG_AUDIENCE, "aud " + aud + " (expected: " + expected + ")");
        }
    }

    private static JWSObject parse(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new TokenRefusedException(Reason.MALFORMED, "a token of " + token.length() + " characters (expected: at most "
                    + MAX_TOKEN_CHARS + ")");
        }
        int dot = token.indexOf('.');
        if (dot > 0) {
            try {
                Algorithm alg = Header.parse(com.nimbusds.jose.util.Base64URL.from(token.substring(0, dot))).getAlgorithm();
                if (Algorithm.NONE.equals(alg)) {
                    throw new TokenRefusedException(Reason.UNSUPPORTED_ALGORITHM, "alg none (expected: one of " + ALGORITHMS + ")");
                }
            } catch (ParseException e) {
                throw new TokenRefusedException(Reason.MALFORMED, "header: not a JOSE header (expected: a compact JWS)");
            }
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(token);
        } catch (ParseException e) {
            throw new TokenRefusedException(Reason.MALFORMED, "not a compact JWS (expected: header.payload.signature)");
        }
        if (!ALGORITHMS.contains(jws.getHeader().getAlgorithm())) {
            throw new TokenRefusedException(Reason.UNSUPPORTED_ALGORITHM, "alg " + jws.getHeader().getAlgorithm()
                    + " (expected: one of " + ALGORITHMS + ")");
        }
        return jws;
    }

    private static JWTClaimsSet claimsOf(JWSObject jws) {
        try {
            Map<String, Object> json = jws.getPayload().toJSONObject();
            if (json == null) {
                throw new ParseException("not a JSON object", 0);
            }
            return JWTClaimsSet.parse(json);
        } catch (ParseException e) {
            throw new TokenRefusedException(Reason.MALFORMED, "payload: not a JWT claims set (expected: a JSON object)");
        }
    }

    private static String subjectOf(JWTClaimsSet claims) {
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) {
            throw new TokenRefusedException(Reason.MALFORMED, "claim sub: none (expected: the end user)");
        }
        if (sub.length() > MAX_SUBJECT_LENGTH) {
            // services store the subject (owner of a reservation, a delivery); a longer one is no user of ours
            throw new TokenRefusedException(Reason.MALFORMED, "claim sub: " + sub.length() + " characters (expected: at most "
                    + MAX_SUBJECT_LENGTH + ")");
        }
        return sub;
    }

    private static @Nullable String stringClaim(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String value ? value : null;
    }

    private static Set<String> scopesOf(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        Set<String> scopes = new LinkedHashSet<>();
        if (scope instanceof String text) {
            for (String part : text.split(" ")) {
                if (!part.isEmpty()) {
                    scopes.add(part);
                }
            }
        } else if (scope instanceof Collection<?> list) {
            list.forEach(item -> scopes.add(String.valueOf(item)));
        } else if (scope != null) {
            throw new TokenRefusedException(Reason.MALFORMED, "claim scope: not a string (expected: space-separated scopes)");
        }
        return scopes;
    }

    /** The {@code act} chain (RFC 8693 §4.1), outermost first. */
    private static List<String> actorsOf(JWTClaimsSet claims) {
        List<String> actors = new ArrayList<>();
        Object act = claims.getClaim("act");
        while (act != null) {
            if (!(act instanceof Map<?, ?> map) || !(map.get("sub") instanceof String sub) || actors.size() >= MAX_ACT_DEPTH) {
                throw new TokenRefusedException(Reason.MALFORMED, "claim act: not a chain of objects with sub (expected: "
                        + "RFC 8693 §4.1, at most " + MAX_ACT_DEPTH + " deep)");
            }
            actors.add(sub);
            act = map.get("act");
        }
        return actors;
    }

    /** Settings of an {@link EastWestVerifier}; every default is set here. */
    public static final class Builder {

        private @Nullable String audience;
        private final Map<String, JWKSource<SecurityContext>> trustedIssuers = new LinkedHashMap<>();
        private final Set<String> selfIssuedSigners = new LinkedHashSet<>();
        private @Nullable SvidSupplier svids;
        private @Nullable Shared shared;
        private Clock clock = Clock.systemUTC();
        private Duration skew = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The audience ({@code aud}) tokens must carry for this callee, e.g. {@code inventory-service}. Required. */
        public Builder audience(String audience) {
            this.audience = requireText(audience, "audience");
            return this;
        }

        /** Trusts tokens whose {@code iss} is {@code issuer} and that one of {@code keys} signed. */
        public Builder trustedIssuer(String issuer, JWKSource<SecurityContext> keys) {
            trustedIssuers.put(requireText(issuer, "issuer"), Objects.requireNonNull(keys, "keys"));
            return this;
        }

        /** Accepts self-issued tokens from these SPIFFE IDs (added to any given before). */
        public Builder selfIssuedSigners(Collection<String> spiffeIds) {
            for (String id : Objects.requireNonNull(spiffeIds, "spiffeIds")) {
                SpiffeTls.trustDomainOf(id);
                selfIssuedSigners.add(id);
            }
            return this;
        }

        /**
         * Where the trust bundles (own and federated) for {@code x5c} chains come from; without it,
         * self-issued and nested tokens are refused.
         */
        public Builder bundles(SvidSupplier svids) {
            this.svids = Objects.requireNonNull(svids, "svids");
            return this;
        }

        /**
         * Accepts a shared token: {@code iss} {@code issuer}, {@code aud} containing {@code audience}
         * (instead of this callee's audience), signed by one of {@code keys}. Off unless called.
         */
        public Builder acceptShared(String issuer, String audience, JWKSource<SecurityContext> keys) {
            this.shared = new Shared(requireText(issuer, "issuer"), requireText(audience, "audience"),
                    Objects.requireNonNull(keys, "keys"));
            return this;
        }

        /** The clock for {@code exp}, {@code nbf}, {@code iat} and certificate validity (default: system). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The clock skew tolerated for {@code exp}, {@code nbf} and {@code iat} (default 30 s). */
        public Builder clockSkew(Duration skew) {
            Objects.requireNonNull(skew, "skew");
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("clockSkew: " + skew + " (expected: PT0S to PT5M)");
            }
            this.skew = skew;
            return this;
        }

        /**
         * The verifier.
         *
         * @throws IllegalStateException when no audience was given
         */
        public EastWestVerifier build() {
            if (audience == null) {
                throw new IllegalStateException("audience: none (expected: the aud this callee accepts)");
            }
            return new EastWestVerifier(this);
        }

        private static String requireText(String value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + ": '' (expected: a non-blank value)");
            }
            return value;
        }
    }
}
