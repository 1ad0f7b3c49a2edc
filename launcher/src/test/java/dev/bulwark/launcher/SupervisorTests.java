package dev.bulwark.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTests {

    @TempDir
    Path home;

    /**
     * The identity process attests a workload by the pid the launcher registered, so that pid must
     * be the JVM's own, not that of a {@code setsid} that forked it.
     */
    @Test
    void spawnWhenJavaStartsInItsOwnSessionThenThePidIsTheJvms() throws Exception {
        Path program = home.resolve("Sleep.java");
        Files.writeString(program, "class Sleep { public static void main(String[] a) throws Exception { Thread.sleep(60_000); } }");
        String java = ProcessHandle.current().info().command().orElseThrow();

        Process process = new Supervisor(home).spawn("sleeper", List.of(java, "-Dbulwark.component=test", program.toString()));
        try {
            ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            while (!handle.info().command().orElse("").endsWith("/java") && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }

            assertThat(handle.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("/java"));
            assertThat(handle.info().commandLine()).hasValueSatisfying(c -> assertThat(c).contains("Sleep.java"));
            assertThat(handle.children()).isEmpty();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                assertThat(sessionOf(process.pid())).as("session id of %d", process.pid()).isEqualTo(process.pid());
            }
        } finally {
            Supervisor.stop(process.pid());
        }
        assertThat(process.isAlive()).isFalse();
    }

    /** Field 6 of /proc/<pid>/stat, after the command name in parentheses. */
    private static long sessionOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]);
    }
}
