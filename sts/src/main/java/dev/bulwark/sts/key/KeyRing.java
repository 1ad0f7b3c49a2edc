package dev.bulwark.sts.key;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;

/**
 * The STS's ES256 signing keys: loaded from the database, rotated by {@link KeyRotationPolicy},
 * generated when the policy asks for one. Readers ({@link #signingKey()}, {@link #publishedKeys()})
 * never touch the database; {@link #refresh()} does, and is called at start and periodically.
 */
public final class KeyRing {

    private static final Logger log = LoggerFactory.getLogger(KeyRing.class);

    private record Loaded(KeyTimes times, ECKey jwk) {
    }

    private final SigningKeyRepository repository;
    private final KeyEncryption encryption;
    private final KeyRotationPolicy policy;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile List<Loaded> keys = List.of();

    KeyRing(SigningKeyRepository repository, KeyEncryption encryption, KeyRotationPolicy policy, Clock clock) {
        this.repository = repository;
        this.encryption = encryption;
        this.policy = policy;
        this.clock = clock;
    }

    /** Applies the rotation policy against the database and reloads the keys. */
    public synchronized void refresh() {
        Instant now = clock.instant();
        List<SigningKeyRepository.Row> rows = repository.findAll();
        KeyRotationPolicy.Plan plan = policy.plan(rows.stream().map(SigningKeyRepository.Row::times).toList(), now,
                this::newKid);
        for (String kid : plan.delete()) {
            repository.delete(kid);
            log.info("event=sts.signing_key_retired kid={}", kid);
        }
        for (KeyTimes t : plan.create()) {
            repository.insert(generate(t));
            log.info("event=sts.signing_key_created kid={} active_from={} active_until={} retire_at={}", t.kid(),
                    t.activeFrom(), t.activeUntil(), t.retireAt());
        }
        if (!plan.isEmpty()) {
            rows = repository.findAll();
        }
        Map<String, Loaded> previous = new HashMap<>();
        keys.forEach(k -> previous.put(k.times().kid(), k));
        List<Loaded> loaded = new ArrayList<>();
        for (SigningKeyRepository.Row row : rows) {
            if (!row.times().publishedAt(now)) {
                continue;
            }
            Loaded known = previous.get(row.times().kid());
            loaded.add(known != null && known.times().equals(row.times()) ? known : load(row));
        }
        keys = List.copyOf(loaded);
    }

    /** The private key that signs now. */
    public ECKey signingKey() {
        Instant now = clock.instant();
        List<KeyTimes> times = keys.stream().map(Loaded::times).toList();
        var current = KeyRotationPolicy.signingKey(times, now);
        if (current.isEmpty()) {
            // the periodic check has not run since the last key ended (e.g. after a long GC pause or suspend)
            refresh();
            current = KeyRotationPolicy.signingKey(keys.stream().map(Loaded::times).toList(), now);
        }
        String kid = current.orElseThrow(() -> new IllegalStateException("no signing key active")).kid();
        return keys.stream().filter(k -> k.times().kid().equals(kid)).findFirst().orElseThrow().jwk();
    }

    /** Public keys to publish in the JWKS: current, next (published ahead) and retiring ones. */
    public JWKSet publishedKeys() {
        Instant now = clock.instant();
        return new JWKSet(keys.stream().filter(k -> k.times().publishedAt(now))
                .map(k -> (JWK) k.jwk().toPublicJWK()).toList());
    }

    /** The times of every loaded key, for tests and diagnostics. */
    public List<KeyTimes> keyTimes() {
        return keys.stream().map(Loaded::times).toList();
    }

    private String newKid() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private SigningKeyRepository.Row generate(KeyTimes t) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = gen.generateKeyPair();
            ECKey jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).keyID(t.kid())
                    .algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).build();
            String encrypted = encryption.encrypt(pair.getPrivate().getEncoded(), t.kid());
            return new SigningKeyRepository.Row(t, jwk.toJSONString(), encrypted);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    private Loaded load(SigningKeyRepository.Row row) {
        String kid = row.times().kid();
        try {
            ECKey publicJwk = ECKey.parse(row.publicJwk());
            byte[] pkcs8 = encryption.decrypt(row.encryptedPrivateKey(), kid);
            ECPrivateKey privateKey = (ECPrivateKey) KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            java.util.Arrays.fill(pkcs8, (byte) 0);
            ECKey jwk = new ECKey.Builder(publicJwk).privateKey(privateKey).build();
            return new Loaded(row.times(), jwk);
        } catch (ParseException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot load signing key " + kid, e);
        }
    }
}
