package dev.bulwark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The attack suite against the default system (embedded H2 databases), and the launcher's own
 * contract: a second {@code up} says so, {@code status}, the printed first session, {@code down}.
 */
class EmbeddedSystemE2EIT extends EdgeAttackSuite {

    @Override
    String database() {
        return "h2";
    }

    @Test
    void secondUpWhileRunningSaysSo() {
        assertThat(system.runAndCapture("up")).contains("already running");
    }

    @Test
    void statusReportsEveryComponentHealthy() {
        assertThat(system.run("status")).isZero();
        assertThat(system.runAndCapture("status")).contains("identity", "sts", "gateway", "order").doesNotContain("unhealthy");
    }

    @Test
    void endpointsFileListsEveryComponentWithUrlMetricsAndPid() {
        for (String name : List.of("identity", "sts", "gateway", "order")) {
            assertThat(system.component(name)).containsKeys("url", "health", "metrics", "pid");
        }
        assertThat(system.component("identity")).containsKeys("workload_api", "ocsp", "crl");
        assertThat(system.workloadSocket()).isEqualTo(system.home.resolve("identity/agent.sock"));
        assertThat(system.endpoints()).containsEntry("trustBundle", system.trustBundle().toString());
        assertThat(system.trustBundle()).isNotEmptyFile();
        // no local CA any more: every TLS key comes from the Workload API
        assertThat(system.home.resolve("pki/ca.pem")).doesNotExist();
        assertThat(system.home.resolve("pki/order.key")).doesNotExist();
    }

    @Test
    void everyComponentProcessIsRegisteredAsItsWorkload() {
        java.util.Map<Long, String> registered = dev.bulwark.launcher.Registrations.of(system.home).read();
        for (String name : List.of("sts", "gateway", "order")) {
            long pid = ((Number) system.component(name).get("pid")).longValue();
            assertThat(registered).containsEntry(pid, "spiffe://ecomm.local/" + name);
            // the registered pid is the JVM itself, not a setsid wrapper around it
            assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse(""))
                    .contains("-Dbulwark.component=" + name);
        }
        long identity = ((Number) system.component("identity").get("pid")).longValue();
        assertThat(registered).doesNotContainKey(identity);
    }

    @Test
    void printedFirstSessionWorksAsPrinted() throws Exception {
        String welcome = system.welcome;
        String session = welcome.substring(welcome.indexOf("TOKEN=$("), welcome.indexOf("Stop it with")).strip();
        Process bash = new ProcessBuilder("bash", "-c", session)
                .directory(LocalSystem.REPOSITORY.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).contains("201").contains("orderId");
    }

    @AfterAll
    @Override
    void stopSystem() {
        List<Long> pids = List.of("identity", "sts", "gateway", "order").stream()
                .map(name -> ((Number) system.component(name).get("pid")).longValue())
                .toList();
        super.stopSystem();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("process %d after down", pid).isFalse();
        }
        assertThat(system.runAndCapture("down")).contains("not running");
        assertThat(system.home.resolve("identity/registrations")).doesNotExist();
    }

}
