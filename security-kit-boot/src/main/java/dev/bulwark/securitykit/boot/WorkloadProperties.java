package dev.bulwark.securitykit.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code bulwark.workload.*}: where the SPIFFE Workload API is and how this workload's server
 * authenticates callers. Every default is here; a wrong value fails start-up with all problems listed.
 *
 * @param socket the Workload API's Unix domain socket; the auto-configuration is active only when set
 * @param firstSvidTimeout how long start-up waits for the first SVID (default 30 s)
 * @param server how the web server authenticates clients
 * @param revocation whether peers' chains are checked for revocation
 */
@ConfigurationProperties("bulwark.workload")
public record WorkloadProperties(@Nullable Path socket, @DefaultValue("PT30S") Duration firstSvidTimeout,
        @DefaultValue Server server, @DefaultValue Revocation revocation) {

    /** TLS client authentication on the web server. */
    public enum ClientAuth {
        /** A client certificate is required; a client without one is refused in the handshake. */
        NEED,
        /** A client certificate is asked for; a client without one is let through, one with a bad one is refused. */
        WANT,
        /** No client certificate is asked for (a public edge). */
        NONE
    }

    /**
     * @param clientAuth {@code need} (default), {@code want} or {@code none}
     * @param allowedClients the SPIFFE IDs that may connect (required with need/want)
     */
    public record Server(@DefaultValue("need") ClientAuth clientAuth, @DefaultValue List<String> allowedClients) {

        public Server {
            Objects.requireNonNull(clientAuth, "clientAuth");
            allowedClients = List.copyOf(allowedClients);
        }
    }

    /** @param enabled OCSP with a CRL fallback, fail closed (default true) */
    public record Revocation(@DefaultValue("true") boolean enabled) {
    }

    public WorkloadProperties {
        Objects.requireNonNull(firstSvidTimeout, "firstSvidTimeout");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(revocation, "revocation");
        List<String> problems = new ArrayList<>();
        if (firstSvidTimeout.isNegative() || firstSvidTimeout.isZero()) {
            problems.add("bulwark.workload.first-svid-timeout: " + firstSvidTimeout + " (expected: > 0)");
        }
        if (server.clientAuth() != ClientAuth.NONE && server.allowedClients().isEmpty()) {
            problems.add("bulwark.workload.server.allowed-clients: [] (expected: the SPIFFE IDs that may connect,"
                    + " when client-auth is " + server.clientAuth().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        for (String id : server.allowedClients()) {
            try {
                SpiffeIdPolicy.oneOf(id);
            } catch (IllegalArgumentException e) {
                problems.add("bulwark.workload.server.allowed-clients: " + id + " (expected: spiffe://<trust-domain>/<path>)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }
}
