package dev.bulwark.gateway.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The Redis backend: two gateway processes (one in this JVM, one in a JVM of its own) share one quota
 * in the machine's Redis at 127.0.0.1:6379 — that test needs Redis and is skipped,
 * saying so, when nothing listens there; keys get a prefix unique to the run. The failure modes
 * point at a closed port and need no Redis.
 */
@ExtendWith(OutputCaptureExtension.class)
class GatewayRedisThrottleIT {

    static ThrottleFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ThrottleFixture();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    static boolean redisListening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "redis://127.0.0.1:" + socket.getLocalPort();
        }
    }

    String token(String clientId) {
        return fixture.token(clientId, "user-" + UUID.randomUUID(), Map.of());
    }

    @Test
    void twoGatewayProcessesShareOneQuotaInRedis() throws Exception {
        assumeTrue(redisListening(), "GatewayRedisThrottleIT needs Redis at 127.0.0.1:6379 and nothing listens there: "
                + "the shared-quota test is skipped (start redis-server to run it)");
        Map<String, Object> settings = Map.of("backend", "redis", "redis.url", "redis://127.0.0.1:6379",
                "redis.failure-mode", "closed", "redis.key-prefix", "bulwark-it:" + UUID.randomUUID() + ":",
                "per-client", "5/PT30S");
        try (ThrottleFixture.Gateway first = fixture.start(settings);
                ThrottleFixture.Gateway second = fixture.startProcess(settings)) {
            String client = "shared-" + UUID.randomUUID();
            int hits = fixture.upstream.hits();
            assertThat(first.get(token(client)).statusCode()).isEqualTo(200);
            assertThat(second.get(token(client)).statusCode()).isEqualTo(200);
            assertThat(first.get(token(client)).statusCode()).isEqualTo(200);
            assertThat(second.get(token(client)).statusCode()).isEqualTo(200);
            HttpResponse<String> fifth = first.get(token(client));
            assertThat(fifth.statusCode()).isEqualTo(200);
            assertThat(fifth.headers().firstValue("RateLimit-Remaining")).hasValue("0");

            HttpResponse<String> refused = second.get(token(client));

            assertThat(refused.statusCode()).as("the 6th request, at the other gateway").isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(first.get(token(client)).statusCode()).isEqualTo(429);
            assertThat(fixture.upstream.hits() - hits).isEqualTo(5);
            assertThat(second.get(token("other-" + UUID.randomUUID())).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void redisDownWithFailureModeOpenFallsBackToLocalBucketsAndSaysSo(CapturedOutput output) throws IOException {
        try (ThrottleFixture.Gateway open = fixture.start(Map.of("backend", "redis", "redis.url", closedPort(),
                "redis.failure-mode", "open", "redis.timeout", "PT0.3S", "per-client", "2/PT30S"))) {
            String client = "open-" + UUID.randomUUID();
            assertThat(open.get(token(client)).statusCode()).isEqualTo(200);
            assertThat(open.get(token(client)).statusCode()).isEqualTo(200);
            assertThat(open.get(token(client)).statusCode()).as("still limited, per instance").isEqualTo(429);

            assertThat(output.getOut()).contains("event=throttle_backend_unavailable backend=redis failure_mode=open");
            assertThat(open.metrics()).containsPattern(
                    "bulwark_throttle_backend_failures_total\\{backend=\"redis\",component=\"gateway\"} [1-9]");
        }
    }

    @Test
    void redisDownWithFailureModeClosedRefusesWith503AndNothingReachesTheUpstream() throws IOException {
        try (ThrottleFixture.Gateway closed = fixture.start(Map.of("backend", "redis", "redis.url", closedPort(),
                "redis.failure-mode", "closed", "redis.timeout", "PT0.3S"))) {
            int hits = fixture.upstream.hits();

            HttpResponse<String> response = closed.get(token("closed-" + UUID.randomUUID()));

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(response.body()).contains("rate limiting unavailable").doesNotContain("redis://");
            assertThat(fixture.upstream.hits()).isEqualTo(hits);
            assertThat(closed.metrics()).contains(
                    "bulwark_throttle_decisions_total{component=\"gateway\",result=\"unavailable\",rule=\"per-ip\"} 1.0");
        }
    }
}
