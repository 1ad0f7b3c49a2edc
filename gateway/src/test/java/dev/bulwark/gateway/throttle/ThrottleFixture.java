package dev.bulwark.gateway.throttle;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import dev.bulwark.gateway.support.GatewayFixture;

/**
 * Gateways for the throttle ITs, each with its own {@code bulwark.gateway.throttle.*} settings (so one
 * test's buckets never touch another's) and no policy stage (the policy ITs cover it).
 */
final class ThrottleFixture extends GatewayFixture {

    ThrottleFixture() throws IOException, JOSEException {
        super("gateway-throttle-it");
    }

    /** A gateway with {@code throttle} ({@code bulwark.gateway.throttle.*} keys without the prefix). */
    Gateway start(Map<String, Object> throttle) {
        return startWith(properties(throttle), context -> { });
    }

    /** The same, in a JVM of its own. */
    Gateway startProcess(Map<String, Object> throttle) throws IOException, InterruptedException {
        return startProcessWith(properties(throttle));
    }

    /** A token with both order scopes. */
    String token(String clientId, String subject, Map<String, Object> extraClaims) {
        return token(clientId, subject, "orders:read orders:write", extraClaims);
    }

    private static Map<String, Object> properties(Map<String, Object> throttle) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bulwark.gateway.policy.engine", "none");
        throttle.forEach((key, value) -> properties.put("bulwark.gateway.throttle." + key, value));
        return properties;
    }
}
