package dev.bulwark.securitykit.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only audit file in which every entry carries the hash of the one before it (a hash
 * chain), so that editing, deleting, inserting or reordering entries is detected by {@link #verify}
 * (integrity and non-repudiation, <i>Microservices Security in Action</i> §1.3.2–1.3.3). One line per
 * entry:
 *
 * <pre>{"seq":1,"time":"2026-01-01T00:00:00Z","event":"event=access ...","prev":"000…0","hash":"9f…"}</pre>
 *
 * <p>{@code hash} is the hex SHA-256 of the line's UTF-8 bytes before {@code ,"hash":} (so of seq,
 * time, event and prev exactly as written); {@code prev} is the previous entry's {@code hash}, 64 zeros
 * for the first; {@code seq} counts from 1 and equals the line number.
 *
 * <p>What the chain does not prove: that the newest entries were not cut off the end (a verifier sees
 * a shorter, valid chain), nor that someone able to rewrite the whole file did not recompute every
 * hash. It makes silent edits in the middle impossible; anchoring the last hash elsewhere is out of
 * its scope.
 *
 * <p>{@link #open} continues an existing file after checking its last line; a file whose tail does not
 * verify (edited, or cut mid-line) is not continued but renamed to {@code <name>.broken-<time>.log},
 * which stays visible to {@code bulwark audit verify}, and a new chain is started. One process writes a
 * file; appends are thread-safe. Lines are written with one write each, without fsync.
 */
public final class HashChainedLog implements Closeable {

    /** The {@code prev} of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private static final Logger log = LoggerFactory.getLogger(HashChainedLog.class);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Pattern LINE = Pattern.compile(
            "\\{\"seq\":([1-9][0-9]{0,18}),\"time\":\"[^\"\\\\]*\",\"event\":\"(?:[^\"\\\\]|\\\\.)*\","
                    + "\"prev\":\"([0-9a-f]{64})\",\"hash\":\"([0-9a-f]{64})\"}");
    private static final String HASH_FIELD = ",\"hash\":\"";
    private static final DateTimeFormatter BROKEN_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path file;
    private final Clock clock;
    private final FileChannel channel;
    private long seq;
    private String prev;

    private HashChainedLog(Path file, Clock clock, FileChannel channel, long seq, String prev) {
        this.file = file;
        this.clock = clock;
        this.channel = channel;
        this.seq = seq;
        this.prev = prev;
    }

    /** Opens (or creates) {@code file} with the system clock; see {@link #open(Path, Clock)}. */
    public static HashChainedLog open(Path file) {
        return open(file, Clock.systemUTC());
    }

    /**
     * Opens {@code file} for appending, creating its directory (mode 0700) and the file (0600) where
     * missing; continues the chain of its last line, or starts a new file when that line does not verify.
     */
    public static HashChainedLog open(Path file, Clock clock) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        Path absolute = file.toAbsolutePath();
        try {
            createDirectory(absolute.getParent());
            long seq = 0;
            String prev = GENESIS;
            if (Files.exists(absolute) && Files.size(absolute) > 0) {
                String tail = lastLine(absolute);
                Matcher m = tail == null ? null : LINE.matcher(tail);
                if (m != null && m.matches() && m.group(3).equals(hash(tail))) {
                    seq = Long.parseLong(m.group(1));
                    prev = m.group(3);
                } else {
                    Path broken = absolute.resolveSibling(stem(absolute) + ".broken-" + BROKEN_SUFFIX.format(clock.instant())
                            + ".log");
                    Files.move(absolute, broken);
                    log.warn("event=audit_chain_restarted file={} kept_as={} reason={}", absolute, broken,
                            tail == null ? "last_line_truncated" : "last_line_does_not_verify");
                }
            }
            FileChannel channel = POSIX
                    ? FileChannel.open(absolute, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : FileChannel.open(absolute, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return new HashChainedLog(absolute, clock, channel, seq, prev);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open audit log " + absolute, e);
        }
    }

    /** The file this log appends to. */
    public Path file() {
        return file;
    }

    /** Appends one entry; {@code event} may hold any characters (they are JSON-escaped onto one line). */
    public synchronized void append(String event) {
        Objects.requireNonNull(event, "event");
        long next = seq + 1;
        String body = "{\"seq\":" + next + ",\"time\":\"" + clock.instant() + "\",\"event\":\"" + escape(event)
                + "\",\"prev\":\"" + prev + "\"";
        String hash = sha256(body);
        ByteBuffer line = ByteBuffer.wrap((body + HASH_FIELD + hash + "\"}\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (line.hasRemaining()) {
                channel.write(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to audit log " + file, e);
        }
        seq = next;
        prev = hash;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close audit log " + file, e);
        }
    }

    /**
     * Checks every line of {@code file}: well-formed and ending in a newline (else truncated or
     * malformed), its hash over its own content (else edited), its {@code prev} equal to the previous
     * line's hash (else a line was deleted, inserted or reordered) and its {@code seq} equal to its line
     * number (else a gap). Returns the first failure.
     */
    public static Verification verify(Path file) {
        Objects.requireNonNull(file, "file");
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            return Verification.tampered(1, "not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit log " + file, e);
        }
        String prev = GENESIS;
        long lineNumber = 0;
        int start = 0;
        while (start < content.length()) {
            lineNumber++;
            int end = content.indexOf('\n', start);
            if (end < 0) {
                return Verification.tampered(lineNumber, "truncated last line (no newline at the end)");
            }
            String line = content.substring(start, end);
            start = end + 1;
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                return Verification.tampered(lineNumber, "malformed entry (edited or truncated)");
            }
            if (!m.group(3).equals(hash(line))) {
                return Verification.tampered(lineNumber, "hash mismatch: the entry was edited");
            }
            if (!m.group(2).equals(prev)) {
                return Verification.tampered(lineNumber,
                        "prev mismatch: an entry before it was deleted, inserted or reordered");
            }
            long seq = Long.parseLong(m.group(1));
            if (seq != lineNumber) {
                return Verification.tampered(lineNumber, "seq " + seq + " (expected: " + lineNumber + ")");
            }
            prev = m.group(3);
        }
        return Verification.ok(lineNumber);
    }

    /** The hash of an entry line as written: SHA-256 over everything before {@code ,"hash":"}. */
    private static String hash(String line) {
        int at = line.lastIndexOf(HASH_FIELD);
        return at < 0 ? "" : sha256(line.substring(0, at));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The last line without its newline, or null when the file does not end with one (cut mid-line). */
    private static String lastLine(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            raf.seek(length - 1);
            if (raf.read() != '\n') {
                return null;
            }
            // an entry is short (an event is one log message); 1 MiB is ample and bounds the read
            int window = (int) Math.min(length - 1, 1 << 20);
            byte[] bytes = new byte[window];
            raf.seek(length - 1 - window);
            raf.readFully(bytes);
            int from = window;
            while (from > 0 && bytes[from - 1] != '\n') {
                from--;
            }
            return new String(bytes, from, window - from, StandardCharsets.UTF_8);
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
    }

    private static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (POSIX) {
            FileAttribute<?> mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(dir, mode);
        } else {
            Files.createDirectories(dir);
        }
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
