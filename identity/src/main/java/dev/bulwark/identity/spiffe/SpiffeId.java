package dev.bulwark.identity.spiffe;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A SPIFFE ID (SPIFFE ID spec §2): {@code spiffe://<trust domain><path>}, where the path is empty or
 * {@code /}-separated segments of {@code [A-Za-z0-9.-_]}, none empty, {@code .} or {@code ..}; no
 * query, fragment, port or user info; at most 2048 bytes.
 *
 * @param trustDomain the trust domain
 * @param path the path, {@code ""} or starting with {@code /}, e.g. {@code /order}
 */
public record SpiffeId(TrustDomain trustDomain, String path) {

    static final String SCHEME_PREFIX = "spiffe://";
    static final int MAX_BYTES = 2048;

    public SpiffeId {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(path, "path");
        String problem = pathProblem(path);
        if (problem != null) {
            throw new IllegalArgumentException("SPIFFE ID path: " + path + " (expected: " + problem + ")");
        }
        int bytes = SCHEME_PREFIX.length() + trustDomain.name().length() + path.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("SPIFFE ID length: " + bytes + " bytes (expected: at most " + MAX_BYTES + ")");
        }
    }

    /** Parses {@code spiffe://trust-domain/path}. */
    public static SpiffeId parse(String value) {
        Objects.requireNonNull(value, "value");
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw invalid(value, "at most " + MAX_BYTES + " bytes");
        }
        if (!value.startsWith(SCHEME_PREFIX)) {
            throw invalid(value, "the scheme spiffe:// in lower case");
        }
        String rest = value.substring(SCHEME_PREFIX.length());
        int slash = rest.indexOf('/');
        String domain = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        String domainProblem = TrustDomain.problem(domain);
        if (domainProblem != null) {
            throw invalid(value, "a trust domain of " + domainProblem + ", no port, user info, query or fragment");
        }
        String problem = pathProblem(path);
        if (problem != null) {
            throw invalid(value, problem);
        }
        return new SpiffeId(new TrustDomain(domain), path);
    }

    /** The ID {@code spiffe://<trustDomain>/<segments joined by />}. */
    public static SpiffeId of(TrustDomain trustDomain, String... segments) {
        Objects.requireNonNull(trustDomain, "trustDomain");
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/').append(Objects.requireNonNull(segment, "segment"));
        }
        return new SpiffeId(trustDomain, path.toString());
    }

    /** Whether this ID belongs to {@code domain}. */
    public boolean memberOf(TrustDomain domain) {
        return trustDomain.equals(domain);
    }

    /** This ID as a URI, the form that goes in an X.509-SVID's URI SAN. */
    public URI toUri() {
        return URI.create(toString());
    }

    private static IllegalArgumentException invalid(String value, String expected) {
        return new IllegalArgumentException("SPIFFE ID: " + value + " (expected: " + expected + ")");
    }

    private static @Nullable String pathProblem(String path) {
        if (path.isEmpty()) {
            return null;
        }
        if (path.charAt(0) != '/') {
            return "a path that is empty or starts with /";
        }
        int start = 1;
        while (true) {
            int end = path.indexOf('/', start);
            String segment = end < 0 ? path.substring(start) : path.substring(start, end);
            if (segment.isEmpty()) {
                return "no empty path segment and no trailing /";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "no . or .. path segment";
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '.' || c == '-' || c == '_')) {
                    return "path segments of [A-Za-z0-9.-_] only, no query or fragment";
                }
            }
            if (end < 0) {
                return null;
            }
            start = end + 1;
        }
    }

    @Override
    public String toString() {
        return SCHEME_PREFIX + trustDomain.name() + path;
    }
}
