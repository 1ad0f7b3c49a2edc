package dev.bulwark.identity.revocation;

import dev.bulwark.securitykit.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * A {@link RevocationStore} kept in a text file, so that a revocation survives a restart. One line per
 * revocation, {@code <serial hex> <revoked at, ISO-8601> <reason> <issuer DN, RFC 2253>}, lines starting
 * with {@code #} ignored. Each revocation rewrites the whole file atomically with mode 0600 (a reader, or
 * a crash, never sees half a file); revocations are rare, so the cost of the rewrite does not matter.
 * A file that cannot be read back is refused when the store opens, never skipped: a revocation that
 * silently disappeared would make a revoked certificate good again.
 */
public final class FileRevocationStore implements RevocationStore {

    private static final String HEADER = "# Bulwark revocations: <serial hex> <revoked at> <reason> <issuer DN>\n";

    private final Path file;
    private final InMemoryRevocationStore revocations = new InMemoryRevocationStore();

    private FileRevocationStore(Path file, List<Revocation> loaded) {
        this.file = file;
        loaded.forEach(revocations::add);
    }

    /**
     * Opens the store in {@code file}, reading the revocations already there; a missing file is an empty
     * store (the file is created at the first revocation).
     *
     * @throws IllegalStateException if the file exists but a line cannot be read back
     * @throws UncheckedIOException if the file cannot be read
     */
    public static FileRevocationStore open(Path file) {
        Objects.requireNonNull(file, "file");
        List<Revocation> loaded = new ArrayList<>();
        if (Files.exists(file)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the revocations file " + file, e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    loaded.add(parse(line, file, i + 1));
                }
            }
        }
        return new FileRevocationStore(file, loaded);
    }

    /** The file this store is kept in. */
    public Path file() {
        return file;
    }

    /**
     * Records {@code revocation} in the file, then in memory.
     *
     * @throws UncheckedIOException if the file cannot be written; the certificate is then not revoked
     */
    @Override
    public synchronized boolean revoke(Revocation revocation) {
        Objects.requireNonNull(revocation, "revocation");
        if (revocations.find(revocation.issuer(), revocation.serialNumber()).isPresent()) {
            return false;
        }
        List<Revocation> all = new ArrayList<>(revocations.all());
        all.add(revocation);
        all.sort(Comparator.comparing(Revocation::revokedAt));
        StringBuilder text = new StringBuilder(HEADER);
        all.forEach(r -> text.append(format(r)).append('\n'));
        PrivateFiles.writeString(file, text.toString());
        return revocations.revoke(revocation);
    }

    @Override
    public Optional<Revocation> find(X500Principal issuer, BigInteger serialNumber) {
        return revocations.find(issuer, serialNumber);
    }

    @Override
    public List<Revocation> revokedBy(X500Principal issuer) {
        return revocations.revokedBy(issuer);
    }

    /** How many revocations the store holds. */
    public int size() {
        return revocations.all().size();
    }

    static String format(Revocation r) {
        return r.serialNumber().toString(16) + " " + r.revokedAt() + " " + r.reason().name() + " " + r.issuer().getName();
    }

    private static Revocation parse(String line, Path file, int number) {
        String[] fields = line.split(" ", 4);
        try {
            if (fields.length != 4) {
                throw new IllegalArgumentException("4 fields expected, found " + fields.length);
            }
            return new Revocation(new X500Principal(fields[3]), new BigInteger(fields[0], 16), Instant.parse(fields[1]),
                    RevocationReason.valueOf(fields[2]));
        } catch (RuntimeException e) {
            String shown = line.length() > 120 ? line.substring(0, 120) + "..." : line;
            throw new IllegalStateException("revocations file " + file + " line " + number + ": " + shown
                    + " (expected: <serial hex> <revoked at, ISO-8601> <reason, one of "
                    + List.of(RevocationReason.values()) + "> <issuer DN>); the file is corrupt: fix or restore it,"
                    + " never delete it, or revoked certificates become valid again", e);
        }
    }
}
