package dev.bulwark.bench;

import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.workload.WorkloadApiSvids;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Mutual-TLS connections per second against an internal port, each a handshake (full, or resumed)
 * and one small request (answered 401: no user-context JWT), as the gateway would open them: this process registers itself as {@code spiffe://ecomm.local/gateway} in the
 * running system's {@code identity/registrations} (as the CLI does for the admin identity), takes
 * its SVID from the Workload API, then handshakes in a loop for a fixed time.
 * Usage: {@code HandshakeRate <home> <port> [seconds] [threads]}.
 */
public final class HandshakeRate {

    private static final String GATEWAY = "spiffe://ecomm.local/gateway";
    private static final byte[] REQUEST = "GET /orders HTTP/1.1\r\nHost: localhost\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Duration duration = Duration.ofSeconds(args.length > 2 ? Integer.parseInt(args[2]) : 10);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path registrations = home.resolve("identity/registrations");
        String line = ProcessHandle.current().pid() + " " + GATEWAY + "\n";
        Files.writeString(registrations, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (WorkloadApiSvids svids = WorkloadApiSvids.connect(home.resolve("identity/agent.sock"), Duration.ofSeconds(30))) {
            // the trust manager runs on a full handshake only: counting its calls tells resumed ones apart
            X509ExtendedTrustManager checks = SpiffeTls.trustManager(svids, SpiffeIdPolicy.oneOf("spiffe://ecomm.local/order"),
                    HandshakeFailureListener.NONE);
            LongAdder fullHandshakes = new LongAdder();
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {SpiffeTls.keyManager(svids)}, new TrustManager[] {counting(checks, fullHandshakes)}, null);
            run("full", context, port, duration, threads, false, fullHandshakes);
            run("resumed", context, port, duration, threads, true, fullHandshakes);
        } finally {
            List<String> kept = new ArrayList<>(Files.readAllLines(registrations, StandardCharsets.UTF_8));
            kept.remove(line.strip());
            Files.write(registrations, kept, StandardCharsets.UTF_8);
        }
    }

    private static void run(String label, SSLContext context, int port, Duration duration, int threads, boolean resume,
            LongAdder fullHandshakes) throws InterruptedException {
        LongAdder handshakes = new LongAdder();
        LongAdder failures = new LongAdder();
        long fullBefore = fullHandshakes.sum();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end) {
                    // a host name, not an address: the JDK's client looks sessions up by host and port
                    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
                        socket.setTcpNoDelay(true);
                        socket.setSSLParameters(SpiffeTls.clientParameters(context));
                        socket.startHandshake();
                        // one request per connection; reading the answer also reads the TLS 1.3 session ticket
                        socket.getOutputStream().write(REQUEST);
                        socket.getOutputStream().flush();
                        if (socket.getInputStream().read(new byte[4096]) < 0) {
                            throw new IOException("no answer");
                        }
                        if (!resume) {
                            socket.getSession().invalidate();
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
        long full = fullHandshakes.sum() - fullBefore;
        System.out.printf("mTLS handshakes %-8s %8.0f /s  (resumed %d of %d, failures %d, %d threads)%n", label,
                handshakes.sum() / (double) duration.toSeconds(), handshakes.sum() - full, handshakes.sum(), failures.sum(), threads);
    }

    /** {@code checks}, counting each server-chain check (one per full handshake). */
    private static X509ExtendedTrustManager counting(X509ExtendedTrustManager checks, LongAdder count) {
        return new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                count.increment();
                checks.checkServerTrusted(chain, authType, socket);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                count.increment();
                checks.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                count.increment();
                checks.checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                checks.checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                checks.checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                checks.checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return checks.getAcceptedIssuers();
            }
        };
    }
}
