package dev.bulwark.bench;

import dev.bulwark.securitykit.pki.Pem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A closed-loop HTTP load generator for comparisons measured in one run: each of {@code -c}
 * connections sends its next request when the last one answered, for {@code -d} seconds, then
 * it prints requests per second and latency percentiles. Unlike wrk it can present a client
 * certificate, which the order service's mTLS-only port needs.
 *
 * <pre>
 * java -cp bench.jar dev.bulwark.bench.HttpLoad -c 16 -d 20 --ca .bulwark/pki/ca.pem \
 *     [--cert .bulwark/pki/gateway.crt --key .bulwark/pki/gateway.key] \
 *     [-m POST] [-H 'Name: value']... [--body TEXT] URL
 * </pre>
 */
public final class HttpLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> headers = new ArrayList<>();
        String url = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-H" -> headers.add(args[++i]);
                case "-c", "-d", "-m", "--ca", "--cert", "--key", "--body", "--warmup", "--label" -> options.put(args[i], args[++i]);
                default -> url = args[i];
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("usage: HttpLoad [-c N] [-d SECONDS] [--warmup SECONDS] [-m METHOD] [-H 'K: V'] [--body B] [--ca PEM] [--cert PEM --key PEM] URL");
        }
        int connections = Integer.parseInt(options.getOrDefault("-c", "16"));
        Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("-d", "20")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("--warmup", "5")));
        SSLContext ssl = ssl(options.get("--ca"), options.get("--cert"), options.get("--key"));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        String body = options.get("--body");
        builder.method(options.getOrDefault("-m", "GET"),
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (String header : headers) {
            int colon = header.indexOf(':');
            builder.header(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
        }
        HttpRequest request = builder.build();

        run(request, ssl, connections, warmup);
        Result result = run(request, ssl, connections, duration);
        System.out.printf("%s connections=%d duration=%ds requests=%d errors=%d rps=%.0f p50=%.3fms p90=%.3fms p99=%.3fms%n",
                options.getOrDefault("--label", url), connections, duration.toSeconds(), result.latenciesMicros.length,
                result.errors, result.latenciesMicros.length / (double) duration.toSeconds(),
                result.percentile(50) / 1000.0, result.percentile(90) / 1000.0, result.percentile(99) / 1000.0);
    }

    record Result(long[] latenciesMicros, long errors) {
        double percentile(double p) {
            if (latenciesMicros.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * latenciesMicros.length) - 1;
            return latenciesMicros[Math.max(0, Math.min(index, latenciesMicros.length - 1))];
        }
    }

    static Result run(HttpRequest request, SSLContext ssl, int connections, Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        AtomicLong errors = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            long[] latencies = new long[2_000_000];
            int[] count = new int[1];
            perThread.add(latencies);
            counts.add(count);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();
            Thread thread = Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < deadline && count[0] < latencies.length) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() >= 400) {
                            errors.incrementAndGet();
                            continue;
                        }
                        latencies[count[0]++] = (System.nanoTime() - start) / 1000;
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        int total = counts.stream().mapToInt(c -> c[0]).sum();
        long[] all = new long[total];
        int offset = 0;
        for (int i = 0; i < perThread.size(); i++) {
            System.arraycopy(perThread.get(i), 0, all, offset, counts.get(i)[0]);
            offset += counts.get(i)[0];
        }
        Arrays.sort(all);
        return new Result(all, errors.get());
    }

    static SSLContext ssl(String ca, String cert, String key) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        TrustManagerFactory tmf = null;
        if (ca != null) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", Pem.readCertificate(Path.of(ca)));
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        }
        KeyManagerFactory kmf = null;
        if (cert != null && key != null) {
            char[] password = "bench".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            X509Certificate leaf = Pem.readCertificate(Path.of(cert));
            keys.setKeyEntry("client", Pem.readPrivateKey(Path.of(key)), password, new X509Certificate[] {leaf});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
        }
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return context;
    }
}
