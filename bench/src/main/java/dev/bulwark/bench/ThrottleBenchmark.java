package dev.bulwark.bench;

import dev.bulwark.securitykit.throttle.FailureMode;
import dev.bulwark.securitykit.throttle.LimitSet;
import dev.bulwark.securitykit.throttle.RateLimiter;
import dev.bulwark.securitykit.throttle.RedisRateLimiter;
import dev.bulwark.securitykit.throttle.ThrottleDecision;
import dev.bulwark.securitykit.throttle.ThrottleMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one throttle decision costs: a token taken from an in-process Bucket4j bucket versus one in
 * the machine's Redis (127.0.0.1:6379, one compare-and-swap round trip), sampled for p50/p99. The
 * limits are high enough that no request is refused, so both measure the allowed path. The redis
 * variant needs a Redis there and fails its setup saying so.
 *
 * <p>Smoke run: {@code java -jar bench/target/bench.jar ThrottleBenchmark -f 1 -wi 1 -i 1 -r 2s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ThrottleBenchmark {

    @Param({"local", "redis"})
    public String backend;

    /** How many distinct clients the requests spread over. */
    @Param({"1000"})
    public int keys;

    private RateLimiter limiter;
    private final LimitSet limits = LimitSet.parse("1000000000/PT1S");

    @Setup
    public void setUp() {
        if (backend.equals("redis")) {
            if (!redisListening()) {
                throw new IllegalStateException("ThrottleBenchmark backend=redis needs Redis at 127.0.0.1:6379 "
                        + "(nothing listens there); run with -p backend=local");
            }
            limiter = RedisRateLimiter.create(URI.create("redis://127.0.0.1:6379"),
                    "bulwark-bench:" + UUID.randomUUID() + ":", Duration.ofSeconds(2), FailureMode.CLOSED,
                    RateLimiter.local(), ThrottleMetrics.none("bench"));
        } else {
            limiter = RateLimiter.local();
        }
    }

    @TearDown
    public void tearDown() {
        limiter.close();
    }

    @Benchmark
    public ThrottleDecision tryConsume() {
        ThrottleDecision decision = limiter.tryConsume("client:" + ThreadLocalRandom.current().nextInt(keys), limits);
        if (!decision.allowed()) {
            throw new IllegalStateException("throttled or unavailable: " + decision.outcome());
        }
        return decision;
    }

    private static boolean redisListening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
