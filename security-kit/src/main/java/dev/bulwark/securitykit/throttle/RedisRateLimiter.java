package dev.bulwark.securitykit.throttle;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets in Redis (Bucket4j's Lettuce compare-and-swap proxy manager), so every instance of a
 * component shares one quota per key. Keys are {@code <prefix><rule:key>:<hash of the limits>}, so a
 * configuration change starts fresh buckets instead of reusing ones built for other limits; they
 * expire once full again.
 *
 * <p>Redis that cannot be reached (at start-up or later) never fails a request with an exception:
 * {@link FailureMode#OPEN} answers from this instance's local buckets, {@link FailureMode#CLOSED}
 * answers {@link ThrottleDecision.Outcome#UNAVAILABLE}. After a failed call Redis is left alone for
 * half a second (those requests get the failure mode at once instead of each waiting for the
 * timeout). Every request Redis did not answer is counted; the failure is logged as
 * {@code event=throttle_backend_unavailable} at most once every 10 seconds, and the first success
 * after failures as {@code event=throttle_backend_recovered}. Reconnection is tried at most once a
 * second.
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger("bulwark.throttle");
    private static final long LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();
    private static final long RECONNECT_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long PAUSE_AFTER_FAILURE_NANOS = Duration.ofMillis(500).toNanos();

    private final RedisClient client;
    private final String keyPrefix;
    private final Duration timeout;
    private final FailureMode failureMode;
    private final RateLimiter fallback;
    private final ThrottleMetrics metrics;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    private final AtomicLong lastConnectAttempt = new AtomicLong(System.nanoTime() - RECONNECT_INTERVAL_NANOS);
    private final ReentrantLock connecting = new ReentrantLock();
    private volatile boolean failing;
    private volatile long pausedUntil = System.nanoTime();
    private volatile @Nullable Connected connected;

    private RedisRateLimiter(URI url, String keyPrefix, Duration timeout, FailureMode failureMode,
            RateLimiter fallback, ThrottleMetrics metrics) {
        RedisURI redisUri = RedisURI.create(url);
        redisUri.setTimeout(timeout);
        this.client = RedisClient.create(redisUri);
        this.client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
        this.keyPrefix = keyPrefix;
        this.timeout = timeout;
        this.failureMode = failureMode;
        this.fallback = fallback;
        this.metrics = metrics;
    }

    /**
     * A limiter on the Redis at {@code url} ({@code redis://host:port}, {@code rediss://} for TLS).
     * Does not connect yet: a component starts even when Redis is down.
     *
     * @param keyPrefix prepended to every key (e.g. {@code bulwark:gateway:throttle:})
     * @param timeout how long one Redis call may take before it counts as a failure
     * @param failureMode what to answer while Redis fails
     * @param fallback the local limiter used in {@link FailureMode#OPEN}
     */
    public static RedisRateLimiter create(URI url, String keyPrefix, Duration timeout, FailureMode failureMode,
            RateLimiter fallback, ThrottleMetrics metrics) {
        Objects.requireNonNull(url, "url");
        if (!"redis".equals(url.getScheme()) && !"rediss".equals(url.getScheme())) {
            throw new IllegalArgumentException("redis.url: '" + url + "' (expected: redis://host:port or rediss://host:port)");
        }
        return new RedisRateLimiter(url, Objects.requireNonNull(keyPrefix, "keyPrefix"),
                Objects.requireNonNull(timeout, "timeout"), Objects.requireNonNull(failureMode, "failureMode"),
                Objects.requireNonNull(fallback, "fallback"), Objects.requireNonNull(metrics, "metrics"));
    }

    @Override
    public ThrottleDecision tryConsume(String key, LimitSet limits) {
        if (System.nanoTime() - pausedUntil < 0) {
            // Redis failed a moment ago: do not make every request wait for its timeout again
            return unavailable(key, limits, null);
        }
        try {
            Connected current = connection();
            ConsumptionProbe probe = current.proxies.builder()
                    .build(keyPrefix + key + ':' + hash(limits), limits::toBucketConfiguration)
                    .tryConsumeAndReturnRemaining(1);
            if (failing) {
                failing = false; // racing threads may both log it: harmless
                LOG.info("event=throttle_backend_recovered backend=redis");
            }
            return LocalRateLimiter.toDecision(probe, limits);
        } catch (RuntimeException e) {
            failing = true;
            pausedUntil = System.nanoTime() + PAUSE_AFTER_FAILURE_NANOS;
            return unavailable(key, limits, e);
        }
    }

    private ThrottleDecision unavailable(String key, LimitSet limits, @Nullable RuntimeException failure) {
        metrics.backendFailure(backend());
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.warn("event=throttle_backend_unavailable backend=redis failure_mode={} reason={}",
                    failureMode.name().toLowerCase(Locale.ROOT),
                    failure == null ? "recent_failure" : failure.getClass().getSimpleName());
        }
        return failureMode == FailureMode.OPEN ? fallback.tryConsume(key, limits) : ThrottleDecision.unavailable(limits);
    }

    private Connected connection() {
        Connected current = connected;
        if (current != null) {
            return current;
        }
        // one thread connects; the others answer by the failure mode instead of queueing behind it
        if (!connecting.tryLock()) {
            throw new IllegalStateException("redis connection being established");
        }
        try {
            if (connected != null) {
                return connected;
            }
            long now = System.nanoTime();
            if (now - lastConnectAttempt.get() < RECONNECT_INTERVAL_NANOS) {
                throw new IllegalStateException("redis not connected; next attempt within a second");
            }
            lastConnectAttempt.set(now);
            StatefulRedisConnection<String, byte[]> connection =
                    client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            ProxyManager<String> proxies = Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(5)))
                    .requestTimeout(timeout)
                    .build();
            Connected fresh = new Connected(connection, proxies);
            connected = fresh;
            LOG.info("event=throttle_backend_connected backend=redis");
            return fresh;
        } finally {
            connecting.unlock();
        }
    }

    private static String hash(LimitSet limits) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(limits.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String backend() {
        return "redis";
    }

    @Override
    public void close() {
        Connected current = connected;
        if (current != null) {
            current.connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        fallback.close();
    }

    private record Connected(StatefulRedisConnection<String, byte[]> connection, ProxyManager<String> proxies) {
    }
}
