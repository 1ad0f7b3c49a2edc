package dev.bulwark.sts.exchange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.bulwark.sts.config.StsProperties;

/**
 * One client's delegation policy ({@code bulwark.sts.clients.<id>.token-exchange}): the audience its
 * subject tokens must carry, and the targets it may obtain tokens for.
 */
record ExchangePolicy(@Nullable String subjectAudience, List<Target> targets) {

    ExchangePolicy {
        targets = List.copyOf(targets);
    }

    /** A scope of a target, granted only when the subject holds {@code required} (if set). */
    record TargetScope(String scope, @Nullable String required) {

        /** Parses {@code TARGET[=REQUIRED_SUBJECT_SCOPE]}. */
        static TargetScope parse(String value) {
            String v = value.strip();
            int eq = v.indexOf('=');
            return eq < 0 ? new TargetScope(v, null) : new TargetScope(v.substring(0, eq), v.substring(eq + 1));
        }
    }

    /** An audience the client may ask for, and its scopes. */
    record Target(String name, String audience, List<TargetScope> scopes) {

        Target {
            scopes = List.copyOf(scopes);
        }

        /**
         * RFC 8693 §2.1 / RFC 6749 §3.3: the scopes granted are the target's that were requested (all of
         * them when {@code requested} is null) and whose required subject scope the subject holds.
         */
        Set<String> grant(@Nullable Set<String> requested, Set<String> subjectScopes) {
            Set<String> granted = new LinkedHashSet<>();
            for (TargetScope s : scopes) {
                if ((requested == null || requested.contains(s.scope()))
                        && (s.required() == null || subjectScopes.contains(s.required()))) {
                    granted.add(s.scope());
                }
            }
            return granted;
        }
    }

    @Nullable Target target(String audience) {
        return targets.stream().filter(t -> t.audience().equals(audience)).findFirst().orElse(null);
    }

    /** The policies of every client that has one, by client id (configuration was validated before). */
    static Map<String, ExchangePolicy> of(StsProperties properties) {
        Map<String, ExchangePolicy> policies = new HashMap<>();
        properties.clients().forEach((id, c) -> {
            StsProperties.TokenExchange x = c.tokenExchange();
            if (x == null) {
                return;
            }
            List<Target> targets = new ArrayList<>();
            new TreeMap<>(x.targets()).forEach((name, t) -> targets.add(new Target(name,
                    String.valueOf(t.audience()), t.scopes().stream().map(TargetScope::parse).toList())));
            policies.put(id, new ExchangePolicy(x.subjectAudience(), targets));
        });
        return Map.copyOf(policies);
    }
}
