package dev.bulwark.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.securitykit.audit.HashChainedLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifyTests {

    @TempDir
    Path home;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private int verify() {
        LaunchOptions options = LaunchOptions.parse(List.of("audit", "verify", "--home", home.toString()), Path.of("/repo"));
        return Bulwark.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static void write(Path file, int entries) {
        try (HashChainedLog log = HashChainedLog.open(file)) {
            for (int i = 1; i <= entries; i++) {
                log.append("event=access status=200 n=" + i);
            }
        }
    }

    @Test
    void auditVerifyWhenEveryLogIsIntactThenExitsZero() {
        write(home.resolve("audit/bulwark-order.log"), 3);
        write(home.resolve("logistics/audit/bulwark-delivery.log"), 1);

        assertThat(verify()).isZero();
        assertThat(output()).contains("audit/bulwark-order.log: ok 3 entries")
                .contains("logistics/audit/bulwark-delivery.log: ok 1 entry");
    }

    @Test
    void auditVerifyWhenOneByteWasEditedThenExitsOneAndNamesTheLine() throws IOException {
        write(home.resolve("audit/bulwark-inventory.log"), 2);
        Path order = home.resolve("audit/bulwark-order.log");
        write(order, 4);
        byte[] bytes = Files.readAllBytes(order);
        int at = new String(bytes, StandardCharsets.UTF_8).indexOf("status=200 n=2");
        bytes[at + 7] = '4'; // status=400
        Files.write(order, bytes);

        assertThat(verify()).isEqualTo(1);
        assertThat(output()).contains("audit/bulwark-order.log: TAMPERED at line 2: hash mismatch")
                .contains("audit/bulwark-inventory.log: ok 2 entries");
    }

    @Test
    void auditVerifyWhenNoLogsThenSaysSoAndExitsZero() {
        assertThat(verify()).isZero();
        assertThat(output()).startsWith("no audit logs under");
    }
}
