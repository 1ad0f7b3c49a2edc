package dev.bulwark.securitykit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashChainedLogTests {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("audit").resolve("order.log");
    }

    private void write(int count) {
        try (HashChainedLog log = HashChainedLog.open(file())) {
            for (int i = 1; i <= count; i++) {
                log.append("event=access n=" + i);
            }
        }
    }

    private List<String> lines() throws IOException {
        return new ArrayList<>(Files.readAllLines(file()));
    }

    private void rewrite(List<String> lines) throws IOException {
        Files.writeString(file(), String.join("\n", lines) + "\n");
    }

    @Test
    void appendWhenNewFileThenChainStartsAtGenesisAndVerifies() throws IOException {
        write(3);

        List<String> lines = lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("{\"seq\":1,\"time\":\"").contains("\"event\":\"event=access n=1\"")
                .contains("\"prev\":\"" + HashChainedLog.GENESIS + "\"");
        assertThat(HashChainedLog.verify(file())).isEqualTo(Verification.ok(3));
        assertThat(HashChainedLog.verify(file()).describe()).isEqualTo("ok 3 entries");
    }

    @Test
    void openWhenFileExistsThenChainContinuesAcrossReopen() throws IOException {
        write(2);
        write(2);

        assertThat(lines()).hasSize(4);
        assertThat(lines().get(3)).startsWith("{\"seq\":4,");
        assertThat(HashChainedLog.verify(file()).intact()).isTrue();
        assertThat(HashChainedLog.verify(file()).entries()).isEqualTo(4);
    }

    @Test
    void openWhenNewThenDirectoryAndFileArePrivate() throws IOException {
        write(1);

        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent()))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        }
    }

    @Test
    void appendWhenEventHasQuotesAndNewlinesThenItStaysOneVerifiableLine() throws IOException {
        try (HashChainedLog log = HashChainedLog.open(file())) {
            log.append("event=x path=\"/a\\b\"\nforged=line\r\u0000");
        }

        assertThat(lines()).hasSize(1);
        assertThat(HashChainedLog.verify(file()).intact()).isTrue();
    }

    @Test
    void oneEditedByteIsDetectedAtItsLine() throws IOException {
        write(5);
        byte[] bytes = Files.readAllBytes(file());
        String text = new String(bytes, StandardCharsets.UTF_8);
        int at = text.indexOf("n=3");
        bytes[at + 2] = '9';
        Files.write(file(), bytes);

        Verification result = HashChainedLog.verify(file());

        assertThat(result.intact()).isFalse();
        assertThat(result.badLine()).isEqualTo(3);
        assertThat(result.reason()).contains("edited");
        assertThat(result.describe()).startsWith("TAMPERED at line 3: ");
    }

    @Test
    void deletedLineIsDetectedAtTheLineAfterIt() throws IOException {
        write(5);
        List<String> lines = lines();
        lines.remove(1);
        rewrite(lines);

        Verification result = HashChainedLog.verify(file());

        assertThat(result.badLine()).isEqualTo(2);
        assertThat(result.reason()).contains("prev mismatch");
    }

    @Test
    void deletedFirstLineIsDetected() throws IOException {
        write(3);
        List<String> lines = lines();
        lines.remove(0);
        rewrite(lines);

        assertThat(HashChainedLog.verify(file()).badLine()).isEqualTo(1);
    }

    @Test
    void swappedLinesAreDetected() throws IOException {
        write(5);
        List<String> lines = lines();
        String second = lines.get(1);
        lines.set(1, lines.get(2));
        lines.set(2, second);
        rewrite(lines);

        Verification result = HashChainedLog.verify(file());

        assertThat(result.badLine()).isEqualTo(2);
        assertThat(result.reason()).contains("reordered");
    }

    @Test
    void truncatedTailIsDetected() throws IOException {
        write(3);
        byte[] bytes = Files.readAllBytes(file());
        Files.write(file(), java.util.Arrays.copyOf(bytes, bytes.length - 10));

        Verification result = HashChainedLog.verify(file());

        assertThat(result.badLine()).isEqualTo(3);
        assertThat(result.reason()).contains("truncated");
    }

    @Test
    void openWhenTailDoesNotVerifyThenOldFileIsKeptAsBrokenAndANewChainStarts() throws IOException {
        write(3);
        byte[] bytes = Files.readAllBytes(file());
        Files.write(file(), java.util.Arrays.copyOf(bytes, bytes.length - 10));

        write(2);

        assertThat(HashChainedLog.verify(file())).isEqualTo(Verification.ok(2));
        try (var files = Files.list(file().getParent())) {
            List<Path> broken = files.filter(p -> p.getFileName().toString().startsWith("order.broken-")).toList();
            assertThat(broken).hasSize(1);
            assertThat(broken.get(0).toString()).endsWith(".log");
            assertThat(HashChainedLog.verify(broken.get(0)).intact()).isFalse();
        }
    }

    @Test
    void openWhenLastLineWasEditedThenItIsNotContinued() throws IOException {
        write(2);
        List<String> lines = lines();
        lines.set(1, lines.get(1).replace("n=2", "n=7"));
        rewrite(lines);

        write(1);

        assertThat(HashChainedLog.verify(file())).isEqualTo(Verification.ok(1));
    }

    @Test
    void concurrentAppendsKeepAValidChain() throws Exception {
        int threads = 8;
        int each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try (HashChainedLog log = HashChainedLog.open(file())) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                pool.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        log.append("event=access thread=" + thread + " n=" + i);
                    }
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(HashChainedLog.verify(file())).isEqualTo(Verification.ok((long) threads * each));
    }

    @Test
    void verifyWhenEmptyThenIntactWithNoEntries() throws IOException {
        Files.createDirectories(file().getParent());
        Files.createFile(file());

        assertThat(HashChainedLog.verify(file()).describe()).isEqualTo("ok 0 entries");
    }
}
