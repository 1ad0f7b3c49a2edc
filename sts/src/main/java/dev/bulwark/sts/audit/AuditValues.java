package dev.bulwark.sts.audit;

import org.jspecify.annotations.Nullable;

/** Keeps request-supplied values from breaking or forging {@code key=value} audit lines. */
public final class AuditValues {

    private static final int MAX = 128;

    private AuditValues() {
    }

    /**
     * {@code value} with anything but printable ASCII (and spaces, line breaks, '=') replaced by '?', at
     * most 128 characters; {@code -} for none.
     */
    public static String printable(@Nullable Object value) {
        if (value == null) {
            return "-";
        }
        String s = value.toString();
        if (s.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX));
        s.codePoints().limit(MAX).forEach(c -> b.append(c > 0x20 && c < 0x7f && c != '=' ? (char) c : '?'));
        return b.toString();
    }
}
