package dev.bulwark.gateway.policy;

import dev.bulwark.policy.PolicyAdminServer;
import dev.bulwark.policy.PolicyEngine;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.WebFilter;

/**
 * The gateway's policy stage as one bean: the engine (none when {@code engine=none}), the admin API when
 * configured, and the filter {@code GatewayConfiguration.apiSecurity} puts after the scope check. Not a
 * {@link WebFilter} bean itself, so WebFlux does not also run it outside the security chain.
 */
public final class GatewayPolicy implements AutoCloseable {

    private final @Nullable PolicyEngine engine;
    private final @Nullable RequestMapper mapper;
    private final @Nullable PolicyAdminServer admin;

    GatewayPolicy(@Nullable PolicyEngine engine, @Nullable RequestMapper mapper, @Nullable PolicyAdminServer admin) {
        this.engine = engine;
        this.mapper = mapper;
        this.admin = admin;
    }

    /** The stage's filter: asks the engine, or lets everything through when the engine is {@code none}. */
    public WebFilter webFilter() {
        if (engine == null || mapper == null) {
            return (exchange, chain) -> chain.filter(exchange);
        }
        return new PolicyWebFilter(engine, mapper);
    }

    /** The engine deciding, null when {@code engine=none}. */
    public @Nullable PolicyEngine engine() {
        return engine;
    }

    /** The admin API's port, or 0 when there is none. */
    public int adminPort() {
        return admin == null ? 0 : admin.port();
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        if (engine != null) {
            engine.close();
        }
    }
}
