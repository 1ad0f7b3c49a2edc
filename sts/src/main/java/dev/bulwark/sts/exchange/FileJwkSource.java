package dev.bulwark.sts.exchange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * The public keys of a JWK set file, re-read whenever its modification time or size changes (the
 * issuer may rotate its keys, or write the file after this STS started). A missing or unreadable file
 * means no keys (every token of that issuer is refused) and is logged once per change; private key
 * members, if the file holds any, are dropped.
 */
final class FileJwkSource implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(FileJwkSource.class);

    private record Snapshot(@Nullable FileTime modified, long size, JWKSet keys) {
    }

    private final Path file;
    private volatile Snapshot snapshot = new Snapshot(null, -1, new JWKSet());

    FileJwkSource(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public List<JWK> get(JWKSelector selector, @Nullable SecurityContext context) {
        return selector.select(current());
    }

    JWKSet current() {
        Snapshot s = snapshot;
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (s.size != -2) {
                log.warn("event=sts.issuer_jwks_missing file={}", file);
                snapshot = new Snapshot(null, -2, new JWKSet());
            }
            return new JWKSet();
        } catch (IOException e) {
            log.warn("event=sts.issuer_jwks_unreadable file={} reason={}", file, e.getClass().getSimpleName());
            return s.keys;
        }
        if (attributes.lastModifiedTime().equals(s.modified) && attributes.size() == s.size) {
            return s.keys;
        }
        synchronized (this) {
            try {
                JWKSet keys = JWKSet.parse(Files.readString(file)).toPublicJWKSet();
                snapshot = new Snapshot(attributes.lastModifiedTime(), attributes.size(), keys);
                log.info("event=sts.issuer_jwks_loaded file={} keys={}", file, keys.getKeys().size());
                return keys;
            } catch (IOException | ParseException e) {
                log.warn("event=sts.issuer_jwks_unreadable file={} reason={}", file, e.getClass().getSimpleName());
                snapshot = new Snapshot(attributes.lastModifiedTime(), attributes.size(), new JWKSet());
                return new JWKSet();
            }
        }
    }
}
