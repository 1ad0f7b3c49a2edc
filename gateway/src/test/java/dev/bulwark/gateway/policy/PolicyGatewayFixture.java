package dev.bulwark.gateway.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import dev.bulwark.gateway.support.GatewayFixture;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Gateways for the policy ITs: a policy directory holding a copy of the book policies, and gateways with
 * their own {@code bulwark.gateway.policy.*} settings and no throttling (the throttle ITs cover it).
 */
final class PolicyGatewayFixture extends GatewayFixture {

    final Path policyDir;

    PolicyGatewayFixture() throws IOException, JOSEException {
        super("gateway-policy-it");
        policyDir = Files.createDirectories(dir.resolve("policy"));
        for (String name : new String[] {"policies.cedar", "schema.cedarschema", "entities.json"}) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("dev/bulwark/policy/default/" + name)) {
                Files.write(policyDir.resolve(name), in.readAllBytes());
            }
        }
    }

    /** A gateway with {@code policy} ({@code bulwark.gateway.policy.*} keys without the prefix). */
    Gateway start(Map<String, Object> policy, String... moreArgs) {
        return start(policy, context -> { }, moreArgs);
    }

    Gateway start(Map<String, Object> policy, Consumer<GenericApplicationContext> beans, String... moreArgs) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bulwark.gateway.throttle.enabled", "false");
        policy.forEach((key, value) -> properties.put("bulwark.gateway.policy." + key, value));
        return startWith(properties, beans, moreArgs);
    }

    String token(String subject, String scope) {
        return token("orderprocessingapp", subject, scope, Map.of());
    }
}
