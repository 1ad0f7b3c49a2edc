package dev.bulwark.sts.throttle;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The {@code client_id} a request claims, before anyone checked it: the user name of HTTP Basic
 * (RFC 6749 §2.3.1, form-urlencoded inside Base64), else the {@code client_id} parameter (public
 * clients, {@code tls_client_auth}, the authorization request). Parameters are read only from the
 * query string or a form body, which the servlet container parses once and Spring Authorization
 * Server then reads from the same parameter map, so nothing is consumed behind its back.
 */
final class ClaimedClientId {

    private static final int MAX = 128;

    private ClaimedClientId() {
    }

    /** The claimed id made safe for a bucket key and a log line, or {@code null} when none is claimed. */
    static @Nullable String of(HttpServletRequest request) {
        String basic = basicUser(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (basic != null) {
            return printable(basic);
        }
        if ("GET".equals(request.getMethod()) || isForm(request.getContentType())) {
            String param = request.getParameter("client_id");
            return param == null || param.isEmpty() ? null : printable(param);
        }
        return null;
    }

    static @Nullable String basicUser(@Nullable String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            return URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null; // not Base64, or a bad %-escape: Spring Security refuses it, per-IP still counts
        }
    }

    private static boolean isForm(@Nullable String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT)
                .startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
    }

    // the key is logged (event=throttled key=client:<id>): no spaces, line breaks or '=' from a caller
    static String printable(String value) {
        StringBuilder b = new StringBuilder(Math.min(value.length(), MAX));
        value.codePoints().limit(MAX).forEach(c -> b.append(c > 0x20 && c < 0x7f && c != '=' ? (char) c : '?'));
        return b.toString();
    }
}
