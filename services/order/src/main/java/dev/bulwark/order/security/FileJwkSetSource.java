package dev.bulwark.order.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's public JWK set, read from a file and re-read when the file changes (key rotation without a
 * restart). Only public keys are kept. A file that cannot be read at start-up fails the start-up; a later
 * broken write keeps the last good set and logs it.
 */
final class FileJwkSetSource implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(FileJwkSetSource.class);

    private final Path file;
    private volatile Snapshot snapshot;

    FileJwkSetSource(Path file) {
        this.file = Objects.requireNonNull(file, "file");
        try {
            this.snapshot = load();
        }
        catch (IOException | ParseException ex) {
            throw new IllegalStateException("bulwark.order.user-context.jwk-set-file: " + file
                    + " cannot be read as a JWK set (expected: a JSON JWK set with the gateway's public EC key)", ex);
        }
        if (snapshot.keys().getKeys().isEmpty()) {
            throw new IllegalStateException("bulwark.order.user-context.jwk-set-file: " + file
                    + " holds no key (expected: at least one public EC P-256 key)");
        }
        log.info("event=jwk_set_loaded file={} keys={}", file, snapshot.keys().getKeys().size());
    }

    @Override
    public List<JWK> get(JWKSelector selector, @Nullable SecurityContext context) throws KeySourceException {
        return selector.select(current());
    }

    private JWKSet current() {
        Snapshot seen = snapshot;
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (!modified.equals(seen.modified()) || size != seen.size()) {
                synchronized (this) {
                    seen = snapshot;
                    if (!modified.equals(seen.modified()) || size != seen.size()) {
                        seen = load();
                        snapshot = seen;
                        log.info("event=jwk_set_reloaded file={} keys={}", file, seen.keys().getKeys().size());
                    }
                }
            }
        }
        catch (IOException | ParseException ex) {
            log.warn("event=jwk_set_reload_failed file={} reason={}", file, ex.getClass().getSimpleName());
        }
        return seen.keys();
    }

    private Snapshot load() throws IOException, ParseException {
        FileTime modified = Files.getLastModifiedTime(file);
        long size = Files.size(file);
        JWKSet keys = JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8)).toPublicJWKSet();
        return new Snapshot(modified, size, keys);
    }

    private record Snapshot(FileTime modified, long size, JWKSet keys) {
    }
}
