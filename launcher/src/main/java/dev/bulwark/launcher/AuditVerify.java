package dev.bulwark.launcher;

import dev.bulwark.securitykit.audit.HashChainedLog;
import dev.bulwark.securitykit.audit.Verification;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ./bulwark audit verify}: checks the hash chain of every {@code *.log} in {@code <home>/audit}
 * and {@code <home>/logistics/audit} (the audit trails the components write, see security-kit-boot),
 * one line per file. 0 when all are intact, 1 when any is not.
 */
final class AuditVerify {

    private final Path home;
    private final PrintStream out;

    AuditVerify(Path home, PrintStream out) {
        this.home = home;
        this.out = out;
    }

    int run() {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(home.resolve("audit"), home.resolve("logistics").resolve("audit"))) {
            files.addAll(logs(dir));
        }
        if (files.isEmpty()) {
            out.println("no audit logs under " + home.resolve("audit") + " or " + home.resolve("logistics/audit"));
            return 0;
        }
        boolean intact = true;
        for (Path file : files) {
            Verification result = HashChainedLog.verify(file);
            intact &= result.intact();
            out.println(home.relativize(file) + ": " + result.describe());
        }
        return intact ? 0 : 1;
    }

    private static List<Path> logs(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(".log") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
