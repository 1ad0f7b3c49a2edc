package dev.bulwark.identity.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues, publishes and validates the JWT-SVIDs of one trust domain (SPIFFE JWT-SVID spec).
 *
 * <p>Tokens: JOSE header {@code alg} = {@code ES256}, {@code kid}, {@code typ} = {@code JWT} and
 * nothing else (JWT-SVID §2); claims {@code sub} = the SPIFFE ID (§3.1), {@code aud} = the requested
 * audiences (§3.2), {@code exp} = issuance + {@link #lifetime()} (§3.3, {@link #DEFAULT_LIFETIME}
 * unless configured), {@code iat}.
 *
 * <p>Keys: EC P-256, generated in memory (a restart starts with a new key; JWT-SVIDs live minutes),
 * {@code kid} = the RFC 7638 thumbprint. {@link #rotate()} makes a new key the signer; the previous
 * key stays in the {@link #bundle() bundle}, and still validates, until the last token it signed has
 * expired, then leaves it and the bundle's subscribers receive the smaller bundle.
 *
 * <p>Thread-safe. Signing and verifying run outside the lock; the lock only guards the key list.
 */
public final class JwtSvidIssuer {

    /** The {@code exp} − {@code iat} of a JWT-SVID unless configured: short, as JWT-SVID §6.1 advises. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(JwtSvidIssuer.class);

    private final TrustDomain trustDomain;
    private final Duration lifetime;
    private final Clock clock;
    /** Oldest first; the last one signs. Guarded by {@code this}. */
    private final List<SigningKey> keys = new ArrayList<>();
    private final Set<Consumer<JwtBundle>> listeners = new CopyOnWriteArraySet<>();
    private JwtBundle bundle;

    private JwtSvidIssuer(TrustDomain trustDomain, Duration lifetime, Clock clock) {
        this.trustDomain = trustDomain;
        this.lifetime = lifetime;
        this.clock = clock;
        keys.add(SigningKey.generate());
        this.bundle = bundleOf(trustDomain, keys);
    }

    /** An issuer for {@code trustDomain} with the default lifetime and the system clock. */
    public static JwtSvidIssuer create(TrustDomain trustDomain) {
        return create(trustDomain, DEFAULT_LIFETIME, Clock.systemUTC());
    }

    /**
     * An issuer for {@code trustDomain} whose tokens live {@code lifetime}.
     *
     * @throws IllegalArgumentException if {@code lifetime} is shorter than one second
     */
    public static JwtSvidIssuer create(TrustDomain trustDomain, Duration lifetime, Clock clock) {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(clock, "clock");
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("JWT-SVID lifetime: " + lifetime + " (expected: at least PT1S)");
        }
        return new JwtSvidIssuer(trustDomain, lifetime, clock);
    }

    public TrustDomain trustDomain() {
        return trustDomain;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /**
     * Signs a JWT-SVID for {@code subject}, valid for {@code audience}.
     *
     * @throws JwtSvidRejectedException if the audience is empty or has a blank or non-printable value,
     *         or the subject is not in this trust domain
     */
    public JwtSvid issue(SpiffeId subject, List<String> audience) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(audience, "audience");
        if (!subject.memberOf(trustDomain)) {
            throw new JwtSvidRejectedException("spiffe_id: " + subject + " (expected: an ID in trust domain " + trustDomain + ")");
        }
        List<String> aud = checkAudience(audience);
        SigningKey key;
        Instant issuedAt;
        Instant expiresAt;
        synchronized (this) {
            issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            expiresAt = issuedAt.plus(lifetime);
            key = keys.getLast();
            // read by rotate(): the key stays in the bundle until this token has expired
            if (expiresAt.isAfter(key.lastExpiry)) {
                key.lastExpiry = expiresAt;
            }
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject.toString())
                .audience(aud)
                .expirationTime(Date.from(expiresAt))
                .issueTime(Date.from(issuedAt))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(key.jwk.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(), claims);
        try {
            jwt.sign(key.signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a JWT-SVID with key " + key.jwk.getKeyID(), e);
        }
        log.info("event=jwt_svid.issued spiffe_id={} audience={} kid={} expires_at={}", subject, aud, key.jwk.getKeyID(), expiresAt);
        return new JwtSvid(subject, aud, expiresAt, claims.toJSONObject(), jwt.serialize());
    }

    /**
     * Validates {@code token} as a JWT-SVID of this trust domain for {@code audience} (JWT-SVID §4 and
     * Appendix A): only {@code alg}, {@code kid} and {@code typ} in the header, {@code alg} ES256,
     * a {@code kid} of the current bundle, a valid signature, a SPIFFE ID of this trust domain in
     * {@code sub}, {@code audience} in {@code aud}, {@code exp} in the future, {@code nbf} (if any) past.
     *
     * @throws JwtSvidRejectedException if it is not valid; the message does not contain the token
     */
    public JwtSvid validate(String token, String audience) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(audience, "audience");
        Instant now;
        synchronized (this) {
            now = clock.instant();
            retireExpiredKeys(now);
        }
        return JwtSvidValidation.validate(token, audience, trustDomain, this::verifier, now);
    }

    /** The current JWT bundle: the signing key and every previous key not yet retired. */
    public synchronized JwtBundle bundle() {
        retireExpiredKeys(clock.instant());
        return bundle;
    }

    /**
     * Makes a new key the signer. The previous key stays in the bundle until the last token it
     * signed has expired (at once, if it signed none).
     *
     * @return the {@code kid} of the new key
     */
    public String rotate() {
        SigningKey next = SigningKey.generate();
        SigningKey previous;
        Instant now;
        synchronized (this) {
            now = clock.instant();
            previous = keys.getLast();
            previous.retireAt = previous.lastExpiry.isAfter(now) ? previous.lastExpiry : now;
            keys.add(next);
            if (!retireExpiredKeys(now)) {
                publish();
            }
        }
        Instant retireAt = Objects.requireNonNull(previous.retireAt);
        log.info("event=jwt_svid.key_rotated trust_domain={} kid={} previous_kid={} previous_retires_at={}",
                trustDomain, next.jwk.getKeyID(), previous.jwk.getKeyID(), retireAt);
        if (retireAt.isAfter(now)) {
            // a nudge so that subscribers see the smaller bundle on time; correctness does not depend on it
            long delay = Duration.between(now, retireAt).toMillis() + 1;
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(this::retireExpiredKeys);
        }
        return next.jwk.getKeyID();
    }

    /**
     * Removes the retired keys whose last token has expired from the bundle, and sends the new bundle
     * to the subscribers if that changed it.
     *
     * @return whether a key was removed
     */
    public synchronized boolean retireExpiredKeys() {
        return retireExpiredKeys(clock.instant());
    }

    /**
     * Listens to the bundle until the returned subscription is closed: {@code listener} receives the
     * current bundle at once, then every changed one (rotation, retirement), never concurrently and
     * never an older one after a newer one.
     */
    public synchronized Subscription subscribe(Consumer<JwtBundle> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        retireExpiredKeys(clock.instant());
        listener.accept(bundle);
        return () -> listeners.remove(listener);
    }

    /** Stops the updates of one {@link #subscribe} call; closing twice is harmless. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private synchronized Optional<JWSVerifier> verifier(String keyId) {
        return keys.stream().filter(key -> key.jwk.getKeyID().equals(keyId)).findFirst().map(key -> key.verifier);
    }

    /** Guarded by {@code this}. */
    private boolean retireExpiredKeys(Instant now) {
        boolean removed = keys.removeIf(key -> key.retireAt != null && !key.retireAt.isAfter(now));
        if (removed) {
            log.info("event=jwt_svid.keys_retired trust_domain={} remaining={}", trustDomain, keys.size());
            publish();
        }
        return removed;
    }

    /** Guarded by {@code this}. */
    private void publish() {
        bundle = bundleOf(trustDomain, keys);
        for (Consumer<JwtBundle> listener : listeners) {
            try {
                listener.accept(bundle);
            } catch (RuntimeException e) {
                // one broken subscriber must not keep the others on the old bundle
                log.info("event=jwt_svid.subscriber_failed trust_domain={} reason={}", trustDomain, e.toString());
            }
        }
    }

    private static JwtBundle bundleOf(TrustDomain trustDomain, List<SigningKey> keys) {
        List<JWK> publicKeys = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (SigningKey key : keys) {
            publicKeys.add(key.jwk.toPublicJWK());
            ids.add(key.jwk.getKeyID());
        }
        return new JwtBundle(trustDomain, ids, new JWKSet(publicKeys).toString(true));
    }

    private static List<String> checkAudience(List<String> audience) {
        if (audience.isEmpty()) {
            throw new JwtSvidRejectedException("audience: empty (expected: at least one value)");
        }
        for (String value : audience) {
            if (value == null || value.isBlank() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new JwtSvidRejectedException("audience: a blank or non-printable value (expected: non-blank printable text)");
            }
        }
        return List.copyOf(new LinkedHashSet<>(audience));
    }
}
