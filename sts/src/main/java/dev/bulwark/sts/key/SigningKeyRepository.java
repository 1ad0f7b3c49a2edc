package dev.bulwark.sts.key;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/** Signing keys in table {@code sts_signing_key}; the private key column holds AES-GCM ciphertext only. */
final class SigningKeyRepository {

    /** A row: times, the public JWK (JSON) and the encrypted PKCS#8 private key. */
    record Row(KeyTimes times, String publicJwk, String encryptedPrivateKey) {
    }

    private final JdbcTemplate jdbc;

    SigningKeyRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Row> findAll() {
        return jdbc.query("SELECT kid, created_at, active_from, active_until, retire_at, public_jwk, private_key"
                + " FROM sts_signing_key ORDER BY active_from", (rs, n) -> new Row(
                        new KeyTimes(rs.getString("kid"), instant(rs.getTimestamp("created_at")),
                                instant(rs.getTimestamp("active_from")), instant(rs.getTimestamp("active_until")),
                                instant(rs.getTimestamp("retire_at"))),
                        rs.getString("public_jwk"), rs.getString("private_key")));
    }

    void insert(Row row) {
        KeyTimes t = row.times();
        jdbc.update("INSERT INTO sts_signing_key (kid, algorithm, created_at, active_from, active_until, retire_at,"
                + " public_jwk, private_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", t.kid(), "ES256",
                Timestamp.from(t.createdAt()), Timestamp.from(t.activeFrom()), Timestamp.from(t.activeUntil()),
                Timestamp.from(t.retireAt()), row.publicJwk(), row.encryptedPrivateKey());
    }

    void delete(String kid) {
        jdbc.update("DELETE FROM sts_signing_key WHERE kid = ?", kid);
    }

    private static Instant instant(Timestamp ts) {
        return ts.toInstant();
    }
}
