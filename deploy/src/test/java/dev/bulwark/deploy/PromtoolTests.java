package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus's own checks of the deploy files: {@code promtool check config}, {@code check rules} and
 * the alert unit tests ({@code test rules alerts_test.yml}). Without promtool on the PATH these are
 * skipped, except on CI ({@code CI=true}), where a missing promtool fails: CI installs Debian's
 * {@code prometheus} package, which provides it.
 */
class PromtoolTests {

    private static Path promtool;

    @BeforeAll
    static void findPromtool() {
        Optional<Path> found = onPath("promtool");
        if (found.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("promtool: not found on PATH=" + System.getenv("PATH")
                        + " (expected with CI=true: apt-get install -y prometheus)");
            }
            Assumptions.abort("promtool not on PATH: Prometheus's checks of deploy/ skipped (apt-get install -y prometheus)");
        }
        promtool = found.get();
    }

    @Test
    void prometheusConfigIsValid() throws Exception {
        Result result = run(DeployFiles.PROMETHEUS, "check", "config", "prometheus.yml");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void alertRulesAreValid() throws Exception {
        Result result = run(DeployFiles.PROMETHEUS, "check", "rules", "alerts.yml");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void alertUnitTestsPass() throws Exception {
        Result result = run(DeployFiles.PROMETHEUS, "test", "rules", "alerts_test.yml");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void brokenRuleIsRejectedByTheCheck(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.yml"), """
                groups:
                  - name: broken
                    rules:
                      - alert: Broken
                        expr: rate(bulwark_gateway_auth_failures_total[5m] > 1
                """, StandardCharsets.UTF_8);

        Result result = run(dir, "check", "rules", "broken.yml");

        assertThat(result.exit()).as(result.output()).isNotZero();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(promtool.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("promtool " + String.join(" ", arguments) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), String.join(" ", command) + "\n" + output);
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
