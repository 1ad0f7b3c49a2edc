package dev.bulwark.gateway.policy;

import java.time.Clock;
import javax.net.ssl.SSLContext;

import dev.bulwark.gateway.GatewayProperties;
import dev.bulwark.policy.CedarPolicyEngine;
import dev.bulwark.policy.OpaPolicyEngine;
import dev.bulwark.policy.PolicyAdminServer;
import dev.bulwark.securitykit.boot.WorkloadTls;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the policy stage from {@link PolicyProperties}: Cedar over {@code dir} (or the shipped book
 * policies, which are about the {@code orders} route: another route without a {@code dir} gets no
 * policy stage, with a warning at start-up), or the OPA adapter (TLS from the workload SVID for an https OPA URL when workload identity
 * is on), and the policy admin API on {@code admin.port} (mutual TLS from the workload SVID, only
 * {@code admin.spiffe-id} accepted in the handshake).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PolicyProperties.class)
public class PolicyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PolicyConfiguration.class);
    /** The route the shipped (book) policies are written for. */
    static final String BOOK_ROUTE = "orders";

    @Bean(destroyMethod = "close")
    GatewayPolicy gatewayPolicy(PolicyProperties policy, GatewayProperties gateway, MeterRegistry meters,
            ObjectProvider<WorkloadTls> workload, ObjectProvider<Clock> clock) {
        if (policy.engine() == PolicyProperties.Engine.NONE) {
            log.warn("event=policy_disabled reason=\"bulwark.gateway.policy.engine=none: scopes are the only authorization\"");
            return new GatewayPolicy(null, null, null);
        }
        GatewayProperties.Route route = gateway.route();
        if (policy.engine() == PolicyProperties.Engine.CEDAR && policy.dir() == null && !BOOK_ROUTE.equals(route.id())) {
            // the shipped policies are about Collection::"orders" only: they would deny every request of another route
            log.warn("event=policy_disabled route={} reason=\"the default Cedar policies cover the orders route only;"
                    + " set bulwark.gateway.policy.dir (or engine=opa) to authorize this route by policy\"", route.id());
            return new GatewayPolicy(null, null, null);
        }
        RequestMapper mapper = new RequestMapper(route.id(), route.pathPrefix(), policy.resourceType(),
                clock.getIfAvailable(Clock::systemUTC));
        if (policy.engine() == PolicyProperties.Engine.OPA) {
            PolicyProperties.Opa opa = policy.opa();
            WorkloadTls tls = workload.getIfAvailable();
            // an https OPA with workload identity: mutual TLS from the SVID, expecting the OPA's SPIFFE ID
            SSLContext context = tls != null && opa.url() != null && "https".equals(opa.url().getScheme())
                    ? tls.clientContext(opa.spiffeId()) : null;
            OpaPolicyEngine engine = new OpaPolicyEngine(opa.url(), opa.path(), opa.timeout(), context, meters);
            log.info("event=policy_engine engine=opa endpoint={} timeout={}", engine.endpoint(), opa.timeout());
            return new GatewayPolicy(engine, mapper, null);
        }
        CedarPolicyEngine engine = policy.dir() == null
                ? CedarPolicyEngine.fromClasspathDefaults(meters)
                : CedarPolicyEngine.fromDirectory(policy.dir(), policy.reloadInterval(), meters);
        PolicyAdminServer admin = null;
        try {
            admin = adminServer(policy.admin(), engine, workload.getIfAvailable());
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return new GatewayPolicy(engine, mapper, admin);
    }

    private static @Nullable PolicyAdminServer adminServer(PolicyProperties.Admin admin, CedarPolicyEngine engine,
            @Nullable WorkloadTls tls) {
        if (admin.port() == 0) {
            return null;
        }
        if (tls == null) {
            throw new IllegalStateException("bulwark.gateway.policy.admin.port: " + admin.port()
                    + " without workload identity (expected: bulwark.workload.* configured, the admin API needs mutual TLS)");
        }
        SSLContext server = SpiffeTls.serverContext(tls.svids(), SpiffeIdPolicy.oneOf(admin.spiffeId()), tls.listener());
        return PolicyAdminServer.start(admin.port(), server, admin.spiffeId(), engine);
    }
}
