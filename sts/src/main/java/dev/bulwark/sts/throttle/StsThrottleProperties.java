package dev.bulwark.sts.throttle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.bulwark.securitykit.throttle.ClientIpResolver;
import dev.bulwark.securitykit.throttle.LimitSet;

/**
 * Every {@code bulwark.sts.throttle.*} setting with its default, in the gateway's shape. Limits are
 * lists of {@code <capacity>/<period>} ({@code 10/PT1S,1000/PT1H}, all enforced together); an empty
 * list switches a rule off. Every bad value is reported together at start-up.
 *
 * <p>The defaults (3000 a second for one IP and for one client) sit about twice above the most this STS
 * has served on the 2-core bench machine (1,423 client_credentials tokens/s from one client on one
 * address, docs/benchmarks.md), so neither bench/run.sh nor the e2e suite ever trips them, while a
 * runaway client is still cut off on a bigger machine. Deployments set them to what their clients need.
 *
 * @param enabled {@code false} lets every request through, without headers
 * @param trustedProxies addresses or CIDR blocks of reverse proxies whose {@code Forwarded} /
 *     {@code X-Forwarded-For} is believed; nobody by default (the connection's address is the client)
 * @param perIp limits of one client address
 * @param perClient limits of one claimed {@code client_id} (from HTTP Basic or the {@code client_id}
 *     parameter), checked before the client is authenticated: they also bound secret guessing
 */
@ConfigurationProperties("bulwark.sts.throttle")
public record StsThrottleProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue({}) List<String> trustedProxies,
        @DefaultValue("3000/PT1S") List<String> perIp,
        @DefaultValue("3000/PT1S") List<String> perClient) {

    public StsThrottleProperties {
        trustedProxies = List.copyOf(trustedProxies);
        perIp = List.copyOf(perIp);
        perClient = List.copyOf(perClient);
        List<String> problems = new ArrayList<>();
        check(problems, "per-ip", perIp);
        check(problems, "per-client", perClient);
        try {
            ClientIpResolver.trusting(trustedProxies);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("bulwark.sts.throttle: " + String.join("; ", problems));
        }
    }

    /** The per-IP rule, empty when switched off. */
    Optional<LimitSet> perIpLimits() {
        return limits(perIp);
    }

    /** The per-client rule, empty when switched off. */
    Optional<LimitSet> perClientLimits() {
        return limits(perClient);
    }

    private static void check(List<String> problems, String name, List<String> limits) {
        try {
            limits(limits);
        } catch (IllegalArgumentException e) {
            problems.add(name + ": " + e.getMessage());
        }
    }

    private static Optional<LimitSet> limits(List<String> specs) {
        return specs.stream().allMatch(String::isBlank) ? Optional.empty() : Optional.of(LimitSet.parse(specs));
    }
}
