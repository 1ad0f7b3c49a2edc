package dev.bulwark.sts.password;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;

import dev.bulwark.sts.config.StsProperties;

/**
 * The resource owners of the password grant, from configuration, held as password hashes only.
 * A check against an unknown user still costs one hash comparison, so timing does not reveal which
 * user names exist.
 */
public final class UserDirectory {

    private final PasswordEncoder encoder;
    private final Map<String, String> hashes;
    private final String dummyHash;

    public UserDirectory(Map<String, StsProperties.User> users, PasswordEncoder encoder) {
        this.encoder = encoder;
        Map<String, String> h = new HashMap<>();
        users.forEach((name, u) -> h.put(name, u.passwordHash() != null ? u.passwordHash() : encoder.encode(u.password())));
        this.hashes = Map.copyOf(h);
        this.dummyHash = encoder.encode("not-a-password-" + System.nanoTime());
    }

    /** Whether {@code password} is the password of {@code username}. */
    public boolean authenticate(String username, @Nullable String password) {
        String hash = hashes.get(username);
        boolean matches = encoder.matches(password == null ? "" : password, hash != null ? hash : dummyHash);
        return hash != null && matches;
    }
}
