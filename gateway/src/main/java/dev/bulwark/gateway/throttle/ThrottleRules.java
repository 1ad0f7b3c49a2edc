package dev.bulwark.gateway.throttle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.bulwark.securitykit.throttle.LimitSet;
import dev.bulwark.securitykit.throttle.ThrottleCheck;
import org.jspecify.annotations.Nullable;

/**
 * The configured rules, parsed once, and the checks they make for one request, most specific first:
 * per-ip, per-client (the client's tier, if any), per-user, per-operation, global. A request refused
 * by its own client's limit therefore never spends the shared ceilings of everybody else.
 */
final class ThrottleRules {

    private final Optional<LimitSet> perIp;
    private final Optional<LimitSet> perClient;
    private final Optional<LimitSet> perUser;
    private final Optional<LimitSet> perOperation;
    private final Map<String, Optional<LimitSet>> global = new HashMap<>();
    private final Optional<LimitSet> globalDefault;
    private final Map<String, LimitSet> tiers = new HashMap<>();
    private final Map<String, String> clientTiers;
    private final String tierClaim;

    ThrottleRules(ThrottleProperties properties) {
        perIp = ThrottleProperties.limits(properties.perIp());
        perClient = ThrottleProperties.limits(properties.perClient());
        perUser = ThrottleProperties.limits(properties.perUser());
        perOperation = ThrottleProperties.limits(properties.perOperation());
        properties.global().forEach((route, limits) -> global.put(route, ThrottleProperties.limits(limits)));
        globalDefault = global.containsKey("default") ? global.get("default")
                : Optional.of(LimitSet.parse(ThrottleProperties.DEFAULT_GLOBAL));
        properties.tiers().forEach((name, tier) -> tiers.put(name, LimitSet.parse(tier.limits())));
        clientTiers = Map.copyOf(properties.clientTiers());
        tierClaim = properties.tierClaim();
    }

    String tierClaim() {
        return tierClaim;
    }

    /** The checks for one request; {@code caller} is null when nobody is authenticated. */
    List<ThrottleCheck> checks(@Nullable Caller caller, String clientIp, String routeId, String method) {
        List<ThrottleCheck> checks = new ArrayList<>(5);
        perIp.ifPresent(limits -> checks.add(new ThrottleCheck("per-ip", "ip:" + clientIp, limits)));
        if (caller != null) {
            String tier = tier(caller);
            Optional<LimitSet> clientLimits = tier == null ? perClient : Optional.of(tiers.get(tier));
            clientLimits.ifPresent(limits -> checks.add(new ThrottleCheck(
                    "per-client", "client:" + caller.clientId() + (tier == null ? "" : " tier:" + tier), limits)));
            perUser.ifPresent(limits -> checks.add(new ThrottleCheck("per-user", "user:" + hash(caller.subject()), limits)));
        }
        perOperation.ifPresent(limits -> checks.add(new ThrottleCheck(
                "per-operation", "op:" + routeId + ":" + method, limits)));
        global.getOrDefault(routeId, globalDefault).ifPresent(limits -> checks.add(new ThrottleCheck(
                "global", "route:" + routeId, limits)));
        return checks;
    }

    /** The token's tier claim when it names a configured tier, else the client's configured tier. */
    @Nullable String tier(Caller caller) {
        if (caller.tier() != null && tiers.containsKey(caller.tier())) {
            return caller.tier();
        }
        return clientTiers.get(caller.clientId());
    }

    /** Users are keyed (and logged) by a digest of their subject, not the subject itself. */
    static String hash(String subject) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
