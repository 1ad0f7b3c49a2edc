package dev.bulwark.bench;

import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.workload.WorkloadApiSvids;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Mutual-TLS handshakes per second against an internal port, full and resumed, as the gateway
 * would make them: this process registers itself as {@code spiffe://ecomm.local/gateway} in the
 * running system's {@code identity/registrations} (as the CLI does for the admin identity), takes
 * its SVID from the Workload API, then handshakes in a loop for a fixed time.
 * Usage: {@code HandshakeRate <home> <port> [seconds] [threads]}.
 */
public final class HandshakeRate {

    private static final String GATEWAY = "spiffe://ecomm.local/gateway";

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Duration duration = Duration.ofSeconds(args.length > 2 ? Integer.parseInt(args[2]) : 10);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path registrations = home.resolve("identity/registrations");
        String line = ProcessHandle.current().pid() + " " + GATEWAY + "\n";
        Files.writeString(registrations, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (WorkloadApiSvids svids = WorkloadApiSvids.connect(home.resolve("identity/agent.sock"), Duration.ofSeconds(30))) {
            SSLContext context = SpiffeTls.clientContext(svids, SpiffeIdPolicy.oneOf("spiffe://ecomm.local/order"),
                    HandshakeFailureListener.NONE);
            run("full", context, port, duration, threads, false);
            run("resumed", context, port, duration, threads, true);
        } finally {
            List<String> kept = new ArrayList<>(Files.readAllLines(registrations, StandardCharsets.UTF_8));
            kept.remove(line.strip());
            Files.write(registrations, kept, StandardCharsets.UTF_8);
        }
    }

    private static void run(String label, SSLContext context, int port, Duration duration, int threads, boolean resume)
            throws InterruptedException {
        LongAdder handshakes = new LongAdder();
        LongAdder resumed = new LongAdder();
        LongAdder failures = new LongAdder();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                long previousCreation = -1;
                while (System.nanoTime() < end) {
                    try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
                            .createSocket(InetAddress.getLoopbackAddress(), port)) {
                        socket.setSSLParameters(SpiffeTls.clientParameters(context));
                        socket.startHandshake();
                        SSLSession session = socket.getSession();
                        if (session.getCreationTime() == previousCreation) {
                            resumed.increment();
                        }
                        previousCreation = session.getCreationTime();
                        if (!resume) {
                            session.invalidate();
                        }
                        handshakes.increment();
                    } catch (IOException e) {
                        failures.increment();
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.printf("mTLS handshakes %-8s %8.0f /s  (resumed %d of %d, failures %d, %d threads)%n", label,
                handshakes.sum() / (double) duration.toSeconds(), resumed.sum(), handshakes.sum(), failures.sum(), threads);
    }
}
