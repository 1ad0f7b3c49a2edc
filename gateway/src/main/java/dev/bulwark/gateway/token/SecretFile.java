package dev.bulwark.gateway.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret read from a file and read again when the file changes (rotation without a restart). The
 * first read happens at start-up, so a missing or empty file fails the start, not the first request.
 */
final class SecretFile implements Supplier<String> {

    private static final Logger log = LoggerFactory.getLogger(SecretFile.class);

    private final Path file;
    private volatile Snapshot snapshot;

    private SecretFile(Path file) {
        this.file = file;
        this.snapshot = read(file);
    }

    static SecretFile of(Path file) {
        return new SecretFile(file);
    }

    @Override
    public String get() {
        Snapshot current = snapshot;
        try {
            if (!Files.getLastModifiedTime(file).equals(current.modified())) {
                current = read(file);
                snapshot = current;
                log.info("event=secret_reloaded file={}", file.getFileName());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("event=secret_reload_failed file={} error={}", file.getFileName(), e.getClass().getSimpleName());
        }
        return current.value();
    }

    private static Snapshot read(Path file) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("secret file " + file + ": empty (expected: the secret)");
            }
            return new Snapshot(value, modified);
        } catch (IOException e) {
            throw new UncheckedIOException("secret file " + file + ": unreadable", e);
        }
    }

    private record Snapshot(String value, FileTime modified) {

        @Override
        public String toString() {
            return "Snapshot[modified=" + modified + "]";
        }
    }
}
