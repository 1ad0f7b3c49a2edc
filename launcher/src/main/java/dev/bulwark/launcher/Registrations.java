package dev.bulwark.launcher;

import dev.bulwark.securitykit.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code <home>/identity/registrations}: which local process is which workload, one line
 * {@code <pid> <spiffe-id>} per process. The identity process attests a Workload API caller by the
 * process id the kernel reports for the socket's peer ({@code SO_PEERCRED}) and looks it up here; it
 * re-reads the file when it changed.
 *
 * <p><b>Trust boundary.</b> Whoever can write this file decides which process gets which identity,
 * the admin identity included: it is the local administrator's file (mode 0600 in a 0700 directory,
 * owned by the user who runs {@code ./bulwark}). Every process of that user could write it, as it
 * could read the keys under the home; local mode does not defend against its own user. The launcher
 * writes each component's line right after starting it, and {@code ./bulwark revoke|rotate} adds
 * its own process for the length of one admin call.
 *
 * <p>Every change replaces the file atomically (a reader never sees half of it) under an exclusive
 * lock, so that concurrent CLI calls and the launcher do not lose each other's lines.
 */
public final class Registrations {

    private static final Pattern SPIFFE_ID = Pattern.compile("spiffe://[a-z0-9._-]+(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+");
    private static final Object IN_PROCESS = new Object();

    private final Path file;

    private Registrations(Path file) {
        this.file = file;
    }

    /** The registrations file of a Bulwark home ({@code .bulwark}). */
    public static Registrations of(Path home) {
        return new Registrations(Objects.requireNonNull(home, "home").resolve("identity").resolve("registrations"));
    }

    /** Where the file is. */
    public Path file() {
        return file;
    }

    /** Registers (or re-registers) process {@code pid} as {@code spiffeId}. */
    public void put(long pid, String spiffeId) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid: " + pid + " (expected: a process id > 0)");
        }
        if (!SPIFFE_ID.matcher(Objects.requireNonNull(spiffeId, "spiffeId")).matches()) {
            throw new IllegalArgumentException("spiffeId: " + spiffeId + " (expected: spiffe://<trust-domain>/<path>)");
        }
        update(lines -> lines.put(pid, spiffeId));
    }

    /** Forgets process {@code pid}; nothing happens if it was not registered. */
    public void remove(long pid) {
        update(lines -> lines.remove(pid));
    }

    /** Replaces every registration with {@code registrations} (pid → SPIFFE ID). */
    void replaceAll(Map<Long, String> registrations) {
        registrations.forEach((pid, id) -> {
            if (!SPIFFE_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("spiffeId: " + id + " (expected: spiffe://<trust-domain>/<path>)");
            }
        });
        update(lines -> {
            lines.clear();
            lines.putAll(registrations);
        });
    }

    /** The current registrations, pid → SPIFFE ID (empty when there is no file). */
    public Map<Long, String> read() {
        Map<Long, String> lines = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return lines;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split("\\s+");
                if (parts.length == 2 && parts[0].matches("[0-9]{1,19}")) {
                    lines.put(Long.parseLong(parts[0]), parts[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return lines;
    }

    /** Removes the file (when Bulwark is stopped). */
    void delete() {
        synchronized (IN_PROCESS) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + file, e);
            }
        }
    }

    private void update(Consumer<Map<Long, String>> change) {
        // FileLock guards against other processes; it throws inside one JVM if two threads take it.
        synchronized (IN_PROCESS) {
            try {
                Path dir = file.getParent();
                createPrivateDirectory(dir);
                try (FileChannel lockFile = FileChannel.open(dir.resolve("registrations.lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock ignored = lockFile.lock()) {
                    Map<Long, String> lines = read();
                    change.accept(lines);
                    StringBuilder content = new StringBuilder();
                    lines.forEach((pid, id) -> content.append(pid).append(' ').append(id).append('\n'));
                    PrivateFiles.writeString(file, content.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot update " + file, e);
            }
        }
    }

    /** Creates {@code dir} with mode 0700 if it does not exist (an existing one is left as it is). */
    static void createPrivateDirectory(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // made concurrently, e.g. by the identity process
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
