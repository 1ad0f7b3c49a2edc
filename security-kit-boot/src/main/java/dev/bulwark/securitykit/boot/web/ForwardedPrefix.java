package dev.bulwark.securitykit.boot.web;

import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Builds the path under which a client sees this service. A gateway that maps, say, {@code /api/orders/**}
 * to {@code /orders/**} may say so with {@code X-Forwarded-Prefix: /api}. Only the prefix is honoured (not
 * X-Forwarded-Host/Proto: a {@code Location} (RFC 9110 §10.2.2) is sent as an absolute path, which resolves
 * against whatever origin the client used), and only when it is a plain path such as {@code /api} or
 * {@code /a/b}; anything else (a scheme, {@code //host}, dots, encoded characters) is ignored so a client
 * cannot steer the {@code Location} elsewhere.
 */
public final class ForwardedPrefix {

    static final String HEADER = "X-Forwarded-Prefix";

    private static final Pattern SAFE_PREFIX = Pattern.compile("(/[A-Za-z0-9_-]{1,64}){1,8}");

    private ForwardedPrefix() {
    }

    /** {@code prefix + contextPath + path}, e.g. {@code /api/orders/<id>}. */
    public static String path(HttpServletRequest request, String path) {
        String prefix = request.getHeader(HEADER);
        String safe = "";
        if (prefix != null) {
            String trimmed = prefix.strip();
            if (trimmed.endsWith("/")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            if (SAFE_PREFIX.matcher(trimmed).matches()) {
                safe = trimmed;
            }
        }
        return safe + request.getContextPath() + path;
    }
}
