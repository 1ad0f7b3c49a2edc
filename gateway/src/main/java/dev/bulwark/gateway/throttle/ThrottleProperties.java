package dev.bulwark.gateway.throttle;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.bulwark.securitykit.throttle.ClientIpResolver;
import dev.bulwark.securitykit.throttle.FailureMode;
import dev.bulwark.securitykit.throttle.LimitSet;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every {@code bulwark.gateway.throttle.*} setting with its default. Limits are lists of
 * {@code <capacity>/<period>} ({@code 10/PT1S,1000/PT1H}); an empty list switches a rule off. The
 * defaults stop only floods: they are about twice the most one token has pushed through the gateway
 * in bench/run.sh (wrk, one client and user, 760 requests a second on this machine), far above the
 * e2e suite (20 a second), so neither trips; deployments set their own. Every bad value is reported
 * together at start-up.
 *
 * @param tierClaim the token claim naming the caller's tier (read only when the tier exists)
 * @param clientTiers client_id → tier, for tokens without the claim
 * @param tiers tier name → the per-client limits of that tier (in place of {@code per-client})
 * @param global route id → the ceiling of all requests to that route; {@code default} for the others
 */
@ConfigurationProperties("bulwark.gateway.throttle")
public record ThrottleProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("local") Backend backend,
        @DefaultValue Redis redis,
        @DefaultValue({}) List<String> trustedProxies,
        @DefaultValue("1500/PT1S") List<String> perClient,
        @DefaultValue("1500/PT1S") List<String> perUser,
        @DefaultValue("3000/PT1S") List<String> perIp,
        @DefaultValue("3000/PT1S") List<String> perOperation,
        @Nullable Map<String, List<String>> global,
        @DefaultValue("tier") String tierClaim,
        @Nullable Map<String, String> clientTiers,
        @Nullable Map<String, Tier> tiers) {

    static final String DEFAULT_GLOBAL = "3000/PT1S";

    /** Where buckets live: this process, or a Redis shared by every gateway instance. */
    public enum Backend { LOCAL, REDIS }

    /**
     * @param url the Redis ({@code redis://host:port}, {@code rediss://} for TLS)
     * @param failureMode {@code open}: local buckets while Redis fails; {@code closed}: 503
     * @param timeout one Redis call longer than this is a failure
     * @param keyPrefix prefix of every bucket key in Redis
     */
    public record Redis(
            @DefaultValue("redis://127.0.0.1:6379") URI url,
            @DefaultValue("open") String failureMode,
            @DefaultValue("PT0.5S") Duration timeout,
            @DefaultValue("bulwark:gateway:throttle:") String keyPrefix) {
    }

    /** @param limits the per-client limits of the clients in this tier */
    public record Tier(List<String> limits) {
    }

    public ThrottleProperties {
        trustedProxies = List.copyOf(trustedProxies);
        global = global == null ? Map.of() : Map.copyOf(global);
        clientTiers = clientTiers == null ? Map.of() : Map.copyOf(clientTiers);
        tiers = tiers == null ? Map.of() : Map.copyOf(tiers);
        List<String> problems = problems(redis, trustedProxies, perClient, perUser, perIp, perOperation, global,
                clientTiers, tiers);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("bulwark.gateway.throttle: " + String.join("; ", problems));
        }
    }

    private static List<String> problems(Redis redis, List<String> trustedProxies, List<String> perClient,
            List<String> perUser, List<String> perIp, List<String> perOperation, Map<String, List<String>> global,
            Map<String, String> clientTiers, Map<String, Tier> tiers) {
        List<String> problems = new ArrayList<>();
        check(problems, "per-client", perClient);
        check(problems, "per-user", perUser);
        check(problems, "per-ip", perIp);
        check(problems, "per-operation", perOperation);
        new TreeMap<>(global).forEach((route, limits) -> check(problems, "global." + route, limits));
        new TreeMap<>(tiers).forEach((tier, value) -> {
            if (value.limits() == null || value.limits().isEmpty()) {
                problems.add("tiers." + tier + ".limits: empty (expected: limits like 10/PT1S)");
            } else {
                check(problems, "tiers." + tier + ".limits", value.limits());
            }
        });
        new TreeMap<>(clientTiers).forEach((client, tier) -> {
            if (!tiers.containsKey(tier)) {
                problems.add("client-tiers." + client + ": " + tier + " (expected: one of " + new TreeMap<>(tiers).keySet() + ")");
            }
        });
        try {
            ClientIpResolver.trusting(trustedProxies);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        try {
            FailureMode.parse(redis.failureMode());
        } catch (IllegalArgumentException e) {
            problems.add("redis." + e.getMessage());
        }
        String scheme = redis.url().getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            problems.add("redis.url: " + redis.url() + " (expected: redis://host:port or rediss://host:port)");
        }
        if (redis.timeout().isNegative() || redis.timeout().isZero()) {
            problems.add("redis.timeout: " + redis.timeout() + " (expected: a positive duration)");
        }
        return problems;
    }

    private static void check(List<String> problems, String name, List<String> limits) {
        if (limits.isEmpty() || limits.stream().allMatch(String::isBlank)) {
            return;
        }
        try {
            LimitSet.parse(limits);
        } catch (IllegalArgumentException e) {
            problems.add(name + ": " + e.getMessage());
        }
    }

    /** The rule's limits, empty when switched off. */
    static Optional<LimitSet> limits(List<String> specs) {
        if (specs.isEmpty() || specs.stream().allMatch(String::isBlank)) {
            return Optional.empty();
        }
        return Optional.of(LimitSet.parse(specs));
    }

    FailureMode failureMode() {
        return FailureMode.parse(redis.failureMode());
    }

    String backendName() {
        return backend.name().toLowerCase(Locale.ROOT);
    }
}
