package dev.bulwark.gateway.token;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** The part of an RFC 7662 §2.2 introspection response the gateway uses. */
record Introspection(boolean active, @Nullable String subject, @Nullable String clientId, List<String> scopes,
        @Nullable Instant expiresAt, Map<String, Object> claims) {

    static final Introspection INACTIVE = new Introspection(false, null, null, List.of(), null, Map.of());

    Introspection {
        scopes = List.copyOf(scopes);
        claims = Map.copyOf(claims);
    }

    /** Active, and (when the STS told us) not past its {@code exp}. */
    boolean activeAt(Instant now) {
        return active && (expiresAt == null || now.isBefore(expiresAt));
    }
}
