package dev.bulwark.sts.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Remembers successful client-secret checks for a short time.
 *
 * <p>Why: client secrets are stored as bcrypt hashes, and one bcrypt check costs ~50-100 ms of CPU.
 * With a check on every token request, two cores issue about 20 client_credentials tokens per second,
 * while the product target is thousands. A machine client presents the same secret again and again,
 * so after one full bcrypt check we remember that (secret, hash) matched.
 *
 * <p>What is cached: only successful matches, keyed by SHA-256(raw secret, NUL, encoded hash), never
 * the secret itself. Keying on the stored hash means a changed secret (a new hash) is a cache miss,
 * and a wrong secret is always a full bcrypt check (failures are not cached, so guessing stays slow).
 * Entries expire after a short TTL and the cache is bounded. The cost: while an entry lives, its
 * SHA-256 sits in this process's memory; an attacker who can read process memory could brute-force a
 * low-entropy secret faster than against bcrypt. Generated secrets (as the launcher writes) are not
 * guessable either way.
 */
public final class CachingPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder delegate;
    private final Cache<String, Boolean> matches;

    public CachingPasswordEncoder(PasswordEncoder delegate, Duration ttl, long maximumSize) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.matches = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maximumSize).build();
    }

    @Override
    public @Nullable String encode(@Nullable CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return false;
        }
        String key = cacheKey(rawPassword, encodedPassword);
        if (matches.getIfPresent(key) != null) {
            return true;
        }
        boolean ok = delegate.matches(rawPassword, encodedPassword);
        if (ok) {
            matches.put(key, Boolean.TRUE);
        }
        return ok;
    }

    @Override
    public boolean upgradeEncoding(@Nullable String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }

    private static String cacheKey(CharSequence raw, String encoded) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(raw.toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(encoded.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
