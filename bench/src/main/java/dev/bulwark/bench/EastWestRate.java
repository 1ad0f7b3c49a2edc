package dev.bulwark.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.securitykit.jose.JwkFiles;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.workload.WorkloadApiSvids;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * The costs of east/west JWTs on a running system, measured from outside as its workloads see them.
 * <ol>
 *   <li>{@code exchange}: token exchanges (RFC 8693) at the STS as the order service would make them:
 *       this process registers itself as {@code spiffe://ecomm.local/order}, authenticates with that SVID
 *       (tls_client_auth) and exchanges fresh user-context JWTs for inventory tokens, one at a time
 *       (round trip p50/p99), then from several threads (exchanges per second). No cache: every
 *       request reaches the STS.</li>
 *   <li>{@code placement}: {@code POST /orders} straight to the order service (as the gateway, over
 *       mTLS), each order for a new user (the order service's exchanged-token cache is cold: an
 *       exchange for inventory, one for the logistics STS and a JWT bearer grant there), then many
 *       orders for one user (warm: no STS call).</li>
 * </ol>
 * Usage: {@code EastWestRate <home> <sts-url> <order-url> [seconds] [threads] [orders]}.
 */
public final class EastWestRate {

    private static final String ORDER = "spiffe://ecomm.local/order";
    private static final String GATEWAY = "spiffe://ecomm.local/gateway";

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        URI tokenUri = URI.create(args[1] + "/oauth2/token");
        URI orders = URI.create(args[2] + "/orders");
        Duration duration = Duration.ofSeconds(args.length > 3 ? Integer.parseInt(args[3]) : 15);
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        int count = args.length > 5 ? Integer.parseInt(args[5]) : 150;
        ECKey gatewayKey = JwkFiles.readPrivate(home.resolve("keys/gateway-context.jwk")).toECKey();

        try (Registration asOrder = Registration.as(home, ORDER);
                WorkloadApiSvids svids = WorkloadApiSvids.connect(home.resolve("identity/agent.sock"), Duration.ofSeconds(30));
                HttpClient sts = client(SpiffeTls.clientContext(svids, SpiffeIdPolicy.oneOf("spiffe://ecomm.local/sts"),
                        HandshakeFailureListener.NONE))) {
            requireIdentity(svids, ORDER);
            for (int i = 0; i < 200; i++) { // warm-up: JIT on both sides, the STS's key and JWK caches
                exchange(sts, tokenUri, userContext(gatewayKey, "bench"));
            }
            long[] latencies = new long[Math.max(count, 200)];
            for (int i = 0; i < latencies.length; i++) {
                long start = System.nanoTime();
                exchange(sts, tokenUri, userContext(gatewayKey, "bench"));
                latencies[i] = System.nanoTime() - start;
            }
            System.out.printf("token exchange round trip (1 thread, %d): p50 %.2f ms  p99 %.2f ms%n", latencies.length,
                    percentile(latencies, 50), percentile(latencies, 99));
            LongAdder done = new LongAdder();
            LongAdder failed = new LongAdder();
            long end = System.nanoTime() + duration.toNanos();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            exchange(sts, tokenUri, userContext(gatewayKey, "bench"));
                            done.increment();
                        } catch (Exception e) {
                            failed.increment();
                        }
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            System.out.printf("token exchanges per second (%d threads, %d s): %.0f /s, failures %d%n", threads,
                    duration.toSeconds(), done.sum() / (double) duration.toSeconds(), failed.sum());
        }

        try (Registration asGateway = Registration.as(home, GATEWAY);
                WorkloadApiSvids svids = WorkloadApiSvids.connect(home.resolve("identity/agent.sock"), Duration.ofSeconds(30));
                HttpClient order = client(SpiffeTls.clientContext(svids, SpiffeIdPolicy.oneOf(ORDER), HandshakeFailureListener.NONE))) {
            requireIdentity(svids, GATEWAY);
            String run = UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < 20; i++) { // warm-up of the placement path itself
                place(order, orders, userContext(gatewayKey, "warmup-" + run + "-" + i), i);
            }
            long[] cold = new long[count];
            for (int i = 0; i < count; i++) {
                String context = userContext(gatewayKey, "cold-" + run + "-" + i);
                long start = System.nanoTime();
                place(order, orders, context, i);
                cold[i] = System.nanoTime() - start;
            }
            place(order, orders, userContext(gatewayKey, "warm-" + run), 0);
            long[] warm = new long[count];
            for (int i = 0; i < count; i++) {
                String context = userContext(gatewayKey, "warm-" + run);
                long start = System.nanoTime();
                place(order, orders, context, i);
                warm[i] = System.nanoTime() - start;
            }
            System.out.printf("order placement, cache cold (new user each, %d): p50 %.2f ms  p99 %.2f ms%n", count,
                    percentile(cold, 50), percentile(cold, 99));
            System.out.printf("order placement, cache warm (same user, %d):     p50 %.2f ms  p99 %.2f ms%n", count,
                    percentile(warm, 50), percentile(warm, 99));
        }
    }

    private static void exchange(HttpClient sts, URI tokenUri, String subject) throws Exception {
        String form = Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                        "client_id", "order-service",
                        "subject_token", subject,
                        "subject_token_type", "urn:ietf:params:oauth:token-type:jwt",
                        "audience", "inventory-service",
                        "scope", "inventory:write")
                .entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = sts.send(HttpRequest.newBuilder(tokenUri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("exchange: HTTP " + response.statusCode());
        }
    }

    private static void place(HttpClient order, URI orders, String userContext, int i) throws Exception {
        String item = "IT000" + (1 + i % 5);
        HttpResponse<String> response = order.send(HttpRequest.newBuilder(orders)
                .header("Authorization", "Bearer " + userContext)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"items\":[{\"itemCode\":\"" + item + "\",\"quantity\":1}],\"shippingAddress\":\"bench\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("order placement: HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** What the gateway sends the order service: a 60 s ES256 JWT with the user's identity. */
    private static String userContext(ECKey key, String subject) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer("bulwark-gateway").audience("order-service").subject(subject)
                        .claim("client_id", "orderprocessingapp").claim("scope", "orders:read orders:write")
                        .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(60))).jwtID(UUID.randomUUID().toString()).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static void requireIdentity(WorkloadApiSvids svids, String expected) {
        if (!svids.spiffeId().equals(expected)) {
            throw new IllegalStateException("the Workload API gave " + svids.spiffeId() + " (expected: " + expected + ")");
        }
    }

    private static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1_000_000.0;
    }

    /** This process's line in {@code identity/registrations} for as long as it is open. */
    private record Registration(Path file, String line) implements AutoCloseable {

        static Registration as(Path home, String spiffeId) throws Exception {
            Path file = home.resolve("identity/registrations");
            String line = ProcessHandle.current().pid() + " " + spiffeId;
            List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
            lines.removeIf(l -> l.startsWith(ProcessHandle.current().pid() + " "));
            lines.add(line);
            Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Thread.sleep(1500); // the identity process re-reads the file once a second
            return new Registration(file, line);
        }

        @Override
        public void close() throws Exception {
            List<String> kept = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
            kept.remove(line);
            Files.write(file, kept, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        }
    }
}
