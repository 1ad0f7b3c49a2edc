package dev.bulwark.identity.spiffe;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A SPIFFE trust domain name (SPIFFE ID spec §2.1): lower-case letters, digits, {@code .}, {@code -}
 * and {@code _}; no port, no user info.
 *
 * @param name the trust domain name, e.g. {@code ecomm.local}
 */
public record TrustDomain(String name) {

    /** The trust domain of local mode. */
    public static final TrustDomain DEFAULT = new TrustDomain("ecomm.local");

    static final int MAX_LENGTH = 255;

    public TrustDomain {
        Objects.requireNonNull(name, "name");
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("trust domain: " + name + " (expected: " + problem + ")");
        }
    }

    /**
     * Parses a trust domain name, or takes the trust domain of a SPIFFE ID
     * ({@code spiffe://ecomm.local/x} → {@code ecomm.local}).
     */
    public static TrustDomain parse(String value) {
        Objects.requireNonNull(value, "value");
        if (value.startsWith(SpiffeId.SCHEME_PREFIX)) {
            return SpiffeId.parse(value).trustDomain();
        }
        return new TrustDomain(value);
    }

    /** The SPIFFE ID of the trust domain itself, {@code spiffe://<name>}. */
    public SpiffeId id() {
        return new SpiffeId(this, "");
    }

    /** The problem with {@code name} as text for an error message, or {@code null} when it is valid. */
    static @Nullable String problem(String name) {
        if (name.isEmpty()) {
            return "a non-empty trust domain name";
        }
        if (name.length() > MAX_LENGTH) {
            return "at most " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) {
                return "only the characters [a-z0-9.-_]";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name;
    }
}
