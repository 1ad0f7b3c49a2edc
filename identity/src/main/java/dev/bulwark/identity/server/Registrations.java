package dev.bulwark.identity.server;

import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.identity.workload.WorkloadRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link WorkloadRegistry} from the launcher's registrations file: lines
 * {@code <pid> <spiffe-id>}, {@code #} starts a comment. The file is re-read when its identity (inode),
 * size or modification time changed; the registry then holds exactly the file's entries (removed lines
 * are unregistered). A bad line, or the pid of a process that is not running, is logged and skipped.
 */
final class Registrations {

    private static final Logger log = LoggerFactory.getLogger(Registrations.class);

    /** What the file looked like when it was last read. */
    private record Stamp(@Nullable Object fileKey, long size, long modified) {
    }

    private static final Stamp ABSENT = new Stamp(null, -1, -1);

    private final Path file;
    private final WorkloadRegistry registry;
    private final TrustDomain trustDomain;
    private final Map<Long, SpiffeId> applied = new HashMap<>();
    private @Nullable Stamp read;

    Registrations(Path file, WorkloadRegistry registry, TrustDomain trustDomain) {
        this.file = Objects.requireNonNull(file, "file");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
    }

    /** Re-reads the file if it changed since the last call; returns whether it did. */
    synchronized boolean refresh() {
        Stamp now = stamp();
        if (now.equals(read)) {
            return false;
        }
        List<String> lines;
        try {
            lines = now == ABSENT ? List.of() : Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            lines = List.of();
        } catch (IOException e) {
            log.warn("event=registrations.unreadable file={} reason={}", file, e.toString());
            return false;
        }
        read = now;
        apply(parse(lines));
        return true;
    }

    /** The registrations in effect: pid to SPIFFE ID. */
    synchronized Map<Long, SpiffeId> current() {
        return Map.copyOf(applied);
    }

    private void apply(Map<Long, SpiffeId> wanted) {
        for (Long pid : List.copyOf(applied.keySet())) {
            if (!applied.get(pid).equals(wanted.get(pid))) {
                registry.unregister(pid);
                applied.remove(pid);
                log.info("event=registration.removed pid={}", pid);
            }
        }
        wanted.forEach((pid, id) -> {
            if (applied.containsKey(pid)) {
                return;
            }
            try {
                registry.register(pid, id);
                applied.put(pid, id);
                log.info("event=registration.added pid={} spiffe_id={}", pid, id);
            } catch (IllegalArgumentException e) {
                log.info("event=registration.skipped pid={} spiffe_id={} reason=process_not_running", pid, id);
            }
        });
    }

    private Map<Long, SpiffeId> parse(List<String> lines) {
        Map<Long, SpiffeId> wanted = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String content = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] fields = content.split("\\s+");
            try {
                if (fields.length != 2) {
                    throw new IllegalArgumentException(fields.length + " fields (expected: <pid> <spiffe-id>)");
                }
                long pid = parsePid(fields[0]);
                SpiffeId id = SpiffeId.parse(fields[1]);
                if (!id.memberOf(trustDomain) || id.path().isEmpty()) {
                    throw new IllegalArgumentException("SPIFFE ID: " + id + " (expected: a workload of " + trustDomain + ")");
                }
                if (wanted.putIfAbsent(pid, id) != null) {
                    throw new IllegalArgumentException("pid " + pid + " registered twice (expected: once)");
                }
            } catch (IllegalArgumentException e) {
                log.warn("event=registrations.bad_line file={} line={} reason=\"{}\"", file, i + 1, e.getMessage());
            }
        }
        return wanted;
    }

    private static long parsePid(String value) {
        try {
            long pid = Long.parseLong(value);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("pid: " + value + " (expected: a positive process id)");
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis());
        } catch (IOException e) {
            return ABSENT;
        }
    }
}
