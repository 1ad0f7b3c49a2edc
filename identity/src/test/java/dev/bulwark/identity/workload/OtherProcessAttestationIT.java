package dev.bulwark.identity.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attestation against a real other process: {@code curl} speaking gRPC over HTTP/2 to the socket.
 * The pid the server sees is curl's, not this JVM's, so these tests show that identity follows the
 * kernel's view of the caller, and that the launcher's start, register, then let it run flow works.
 */
class OtherProcessAttestationIT {

    private static final String ORDER = "spiffe://ecomm.local/order";

    @TempDir
    Path dir;

    private final SvidPublisher svids = new SvidPublisher();
    private final WorkloadRegistry registry = new WorkloadRegistry();
    private WorkloadApiServer server;
    private Path emptyRequest;

    @BeforeEach
    void startServer() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "needs /usr/bin/curl with HTTP/2");
        server = WorkloadApiServer.start(dir.resolve("agent.sock"), registry, svids);
        svids.publish(TestSvids.newTrustDomain("ecomm.local").issue(ORDER));
        // one gRPC frame: not compressed, length 0 (an empty X509SVIDRequest)
        emptyRequest = Files.write(dir.resolve("request.bin"), new byte[5]);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anotherProcessOnTheHostIsDeniedTheSvidRegisteredForThisOne() throws Exception {
        registry.register(ProcessHandle.current().pid(), ORDER);
        Process curl = curl(false);

        assertThat(curl.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

        assertThat(output).contains("grpc-status: 7").doesNotContain(ORDER);
    }

    @Test
    void processTheLauncherRegisteredReceivesItsSvid() throws Exception {
        Process curl = curl(true);
        try {
            registry.register(curl.toHandle(), ORDER);
            try (OutputStream go = curl.getOutputStream()) {
                go.write('\n');
            }

            String output = CompletableFuture.supplyAsync(() -> readUntil(curl.getInputStream(), ORDER))
                    .get(10, TimeUnit.SECONDS);

            assertThat(output).contains("grpc-encoding", "application/grpc").contains(ORDER);
        } finally {
            curl.destroyForcibly();
        }
    }

    /** curl's process; with {@code waitForGo} it waits for a line on stdin, then execs curl (same pid). */
    private Process curl(boolean waitForGo) throws IOException {
        String command = "exec /usr/bin/curl -sS -N --http2-prior-knowledge --unix-socket '" + server.socket() + "'"
                + " -X POST -H 'content-type: application/grpc' -H 'te: trailers' -H 'workload.spiffe.io: true'"
                + " --data-binary @'" + emptyRequest + "' -D - http://localhost/SpiffeWorkloadAPI/FetchX509SVID";
        List<String> shell = List.of("/bin/sh", "-c", waitForGo ? "read go; " + command : command);
        return new ProcessBuilder(shell).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String readUntil(InputStream in, String expected) {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0;) {
                seen.write(buffer, 0, n);
                String text = seen.toString(StandardCharsets.ISO_8859_1);
                if (text.contains(expected)) {
                    return text;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }
}
