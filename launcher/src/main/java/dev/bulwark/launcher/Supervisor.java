package dev.bulwark.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Starts component processes, waits until they are healthy, and stops them. */
final class Supervisor {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Path logs;

    Supervisor(Path home) {
        this.logs = home.resolve("logs");
    }

    /**
     * Starts the process in its own session, so that it outlives the launcher and the terminal. The
     * returned process's pid is the JVM's: {@code setsid} forks only when its caller leads a process
     * group, and a child of this JVM never does (it inherits our group), so it calls setsid(2) and
     * execs java in the same process. The identity process attests by exactly this pid.
     */
    Process start(Component component) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx384m", "-XX:+ExitOnOutOfMemoryError",
                "--enable-native-access=ALL-UNNAMED",
                // servers keep TLS sessions in their cache, which SpiffeTls empties when the SVID or the
                // bundle changes; a stateless TLS 1.3 ticket would let a peer resume past such a change
                "-Djdk.tls.server.enableSessionTicketExtension=false",
                "-Dbulwark.component=" + component.name()));
        if (Runtime.version().feature() >= 23) {
            // gRPC's shaded Netty (the Workload API client) uses sun.misc.Unsafe; say it is expected
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-jar", component.jar().toString()));
        command.addAll(component.arguments());
        return spawn(component.name(), command);
    }

    /** Runs {@code command} in a new session, output to {@code logs/<name>.log}. */
    Process spawn(String name, List<String> command) {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            full.add("/usr/bin/setsid");
        }
        full.addAll(command);
        try {
            Files.createDirectories(logs);
            Path log = logs.resolve(name + ".log");
            return new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Waits until {@code file} exists and is not empty (the identity process's trust bundle). */
    void awaitFile(Component component, Process process, Path file) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (Files.size(file) > 0) {
                    return;
                }
            } catch (IOException e) {
                // not there yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(component.name() + " exited with status " + process.exitValue()
                        + " before writing " + file + "; last lines of its log:\n" + tail(component.name()));
            }
            sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException(component.name() + " did not write " + file + " within "
                + START_TIMEOUT.toSeconds() + " s; last lines of its log:\n" + tail(component.name()));
    }

    /** Waits until the component answers UP on its health endpoint, or fails with its log's tail. */
    void awaitHealthy(Component component, Process process) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(component.name() + " exited with status " + process.exitValue()
                        + "; last lines of " + logs.resolve(component.name() + ".log") + ":\n" + tail(component.name()));
            }
            if (healthy(component.healthUrl())) {
                return;
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException(component.name() + " did not become healthy within " + START_TIMEOUT.toSeconds()
                + " s; last lines of its log:\n" + tail(component.name()));
    }

    boolean healthy(String healthUrl) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(healthUrl)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops a process of ours (and its children): politely first, forcibly after a while. */
    static boolean stop(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(Supervisor::isOurs);
        if (handle.isEmpty()) {
            return false;
        }
        List<ProcessHandle> all = new ArrayList<>(handle.get().descendants().toList());
        all.add(handle.get());
        all.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plus(STOP_TIMEOUT);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        return true;
    }

    /** A pid is ours if it still runs a Bulwark jar (pids are reused after a reboot). */
    static boolean isOurs(ProcessHandle handle) {
        return handle.isAlive() && handle.info().commandLine().map(c -> c.contains("-Dbulwark.component=")).orElse(true);
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(Supervisor::isOurs).orElse(false);
    }

    private String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(logs.resolve(name + ".log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
