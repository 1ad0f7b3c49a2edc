package dev.bulwark.sts.mtls;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A workload's SPIFFE ID (SPIFFE ID §2): {@code spiffe://<trust-domain>/<path>}, trust domain of
 * {@code a-z 0-9 . - _}, a non-empty path of non-empty segments of {@code a-z A-Z 0-9 . - _}, none
 * of them {@code .} or {@code ..}. Compared as exact strings, as the spec requires.
 */
public record SpiffeId(String trustDomain, String path) {

    private static final String SCHEME = "spiffe://";
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");
    private static final Pattern SEGMENT = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int MAX_LENGTH = 2048;

    public SpiffeId {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(path, "path");
    }

    /**
     * Parses {@code value}, or throws {@link IllegalArgumentException} saying
     * {@code spiffe id: <value> (expected: ...)}.
     */
    public static SpiffeId parse(String value) {
        Objects.requireNonNull(value, "value");
        if (value.length() > MAX_LENGTH || !value.startsWith(SCHEME)) {
            throw invalid(value);
        }
        String rest = value.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw invalid(value);
        }
        String trustDomain = rest.substring(0, slash);
        String path = rest.substring(slash);
        if (!TRUST_DOMAIN.matcher(trustDomain).matches()) {
            throw invalid(value);
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || ".".equals(segment) || "..".equals(segment)) {
                throw invalid(value);
            }
        }
        return new SpiffeId(trustDomain, path);
    }

    private static IllegalArgumentException invalid(String value) {
        return new IllegalArgumentException("spiffe id: " + value
                + " (expected: spiffe://<trust-domain>/<path>, trust domain of a-z 0-9 . - _,"
                + " path segments of a-z A-Z 0-9 . - _)");
    }

    @Override
    public String toString() {
        return SCHEME + trustDomain + path;
    }
}
