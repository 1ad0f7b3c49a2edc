package dev.bulwark.sts.refresh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Refresh tokens that were rotated away, as SHA-256 hashes (never the tokens), each pointing to the
 * authorization (token family) it belonged to. Rows live until the superseded token would have
 * expired; after that a replay fails anyway.
 */
public final class SupersededRefreshTokens {

    private final JdbcTemplate jdbc;

    public SupersededRefreshTokens(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void record(String refreshToken, String authorizationId, Instant expiresAt) {
        String hash = hash(refreshToken);
        // a token is superseded once; a retried save of the same rotation must not fail
        jdbc.update("DELETE FROM sts_superseded_refresh_token WHERE token_hash = ?", hash);
        jdbc.update("INSERT INTO sts_superseded_refresh_token (token_hash, authorization_id, expires_at) VALUES (?, ?, ?)",
                hash, authorizationId, Timestamp.from(expiresAt));
    }

    Optional<String> findAuthorizationId(String refreshToken) {
        List<String> ids = jdbc.queryForList(
                "SELECT authorization_id FROM sts_superseded_refresh_token WHERE token_hash = ?", String.class,
                hash(refreshToken));
        return ids.stream().findFirst();
    }

    /** Deletes rows of tokens that have expired; returns how many. */
    public int purgeExpired(Instant now) {
        return jdbc.update("DELETE FROM sts_superseded_refresh_token WHERE expires_at < ?", Timestamp.from(now));
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
