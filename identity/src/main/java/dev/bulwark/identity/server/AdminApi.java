package dev.bulwark.identity.server;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.bulwark.identity.ca.Authority;
import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.revocation.Revocation;
import dev.bulwark.identity.revocation.RevocationReason;
import dev.bulwark.identity.revocation.RevocationStore;
import dev.bulwark.securitykit.tls.SpiffeTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API: HTTPS on 127.0.0.1, mutual TLS needed, and only the admin SPIFFE ID gets past the
 * handshake (another valid SVID is refused by the trust manager, so it never sees a status code).
 * <ul>
 *   <li>{@code POST /admin/revocations} {@code {"serial":"<hex>","reason":"keyCompromise"}} → 201 (200 if
 *       it was already revoked), 404 for a serial this process did not issue (or that has expired);</li>
 *   <li>{@code POST /admin/rotations/intermediate} → 200 {@code {"intermediate":"<key id>"}}; the previous
 *       intermediate is retired one SVID lifetime later, when no SVID it signed is still valid;</li>
 *   <li>{@code POST /admin/rotations/root} → 202 {@code {"root":"<key id>","activates_at":..,"previous_retired_at":..}}
 *       ({@link RootRotation}), 409 while another root rotation is under way;</li>
 *   <li>{@code GET /admin/status} → SVIDs issued and active, intermediates, roots.</li>
 * </ul>
 */
final class AdminApi implements AutoCloseable {

    static final int MAX_BODY_BYTES = 4096;
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    private static final Pattern SERIAL = Pattern.compile("[0-9a-fA-F]{1,40}");
    private static final Map<String, RevocationReason> REASONS = Map.of(
            "unspecified", RevocationReason.UNSPECIFIED,
            "keyCompromise", RevocationReason.KEY_COMPROMISE,
            "cACompromise", RevocationReason.CA_COMPROMISE,
            "affiliationChanged", RevocationReason.AFFILIATION_CHANGED,
            "superseded", RevocationReason.SUPERSEDED,
            "cessationOfOperation", RevocationReason.CESSATION_OF_OPERATION);

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String adminId;
    private final WorkloadCa ca;
    private final IssuedSvids issued;
    private final RevocationStore revocations;
    private final IdentityMetrics metrics;
    private final IdentityAudit audit;
    private final ScheduledExecutorService scheduler;
    private final RootRotation rootRotation;
    private final Clock clock;

    private AdminApi(HttpsServer server, String adminId, WorkloadCa ca, IssuedSvids issued, RevocationStore revocations,
            IdentityMetrics metrics, IdentityAudit audit, ScheduledExecutorService scheduler, RootRotation rootRotation, Clock clock) {
        this.server = server;
        this.audit = audit;
        this.adminId = adminId;
        this.ca = ca;
        this.issued = issued;
        this.revocations = revocations;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.rootRotation = rootRotation;
        this.clock = clock;
        server.setExecutor(executor);
        server.createContext("/", Exchanges.handle(this::route));
    }

    /** Serves on 127.0.0.1:{@code port} with {@code tls} (made by {@link SpiffeTls#serverContext}). */
    static AdminApi start(int port, SSLContext tls, String adminId, WorkloadCa ca, IssuedSvids issued,
            RevocationStore revocations, IdentityMetrics metrics, IdentityAudit audit, ScheduledExecutorService scheduler,
            RootRotation rootRotation, Clock clock) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters parameters) {
                    parameters.setSSLParameters(SpiffeTls.serverParameters(tls));   // need client auth
                }
            });
            AdminApi api = new AdminApi(https, adminId, ca, issued, revocations, metrics, audit, scheduler, rootRotation, clock);
            https.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException("admin port: cannot listen on " + address, e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void route(HttpExchange exchange) throws IOException {
        // the trust manager already refused other IDs; checked again so that a change there cannot open this API
        String peer = exchange instanceof HttpsExchange https ? SpiffeTls.peerSpiffeId(https.getSSLSession()).orElse("") : "";
        if (!peer.equals(adminId)) {
            audit.record("event=admin_denied peer_spiffe_id=" + (peer.isEmpty() ? "none" : peer));
            throw new ApiException(403, "forbidden", "client: " + (peer.isEmpty() ? "no SPIFFE ID" : peer) + " (expected: " + adminId + ")");
        }
        String path = exchange.getRequestURI().getRawPath();
        switch (path) {
            case "/admin/revocations" -> {
                Exchanges.requireMethod(exchange, "POST");
                revoke(exchange);
            }
            case "/admin/rotations/intermediate" -> {
                Exchanges.requireMethod(exchange, "POST");
                Exchanges.sendJson(exchange, 200, rotate());
            }
            case "/admin/rotations/root" -> {
                Exchanges.requireMethod(exchange, "POST");
                Exchanges.sendJson(exchange, 202, rotateRoot());
            }
            case "/admin/status" -> {
                Exchanges.requireMethod(exchange, "GET");
                Exchanges.sendJson(exchange, 200, status());
            }
            default -> throw new ApiException(404, "not_found", "path: " + path
                    + " (expected: /admin/revocations, /admin/rotations/intermediate, /admin/rotations/root or /admin/status)");
        }
    }

    private void revoke(HttpExchange exchange) throws IOException {
        Map<String, Object> request = jsonObject(Exchanges.body(exchange, MAX_BODY_BYTES));
        Set<String> unknown = new java.util.TreeSet<>(request.keySet());
        unknown.removeAll(Set.of("serial", "reason"));
        if (!unknown.isEmpty()) {
            throw badRequest("fields: " + unknown + " (expected: only serial and reason)");
        }
        if (!(request.get("serial") instanceof String serialHex) || !SERIAL.matcher(serialHex).matches()) {
            throw badRequest("serial: " + request.get("serial") + " (expected: the certificate serial number in hex, e.g. \"3f2a...\")");
        }
        Object reasonName = request.getOrDefault("reason", "unspecified");
        RevocationReason reason = reasonName instanceof String name ? REASONS.get(name) : null;
        if (reason == null) {
            throw badRequest("reason: " + reasonName + " (expected: one of " + new java.util.TreeSet<>(REASONS.keySet()) + ")");
        }
        BigInteger serial = new BigInteger(serialHex, 16);
        IssuedSvids.Issued svid = issued.find(serial).orElseThrow(() -> new ApiException(404, "not_found",
                "serial: " + serial.toString(16) + " (expected: the serial of an unexpired SVID this identity process issued)"));
        Revocation revocation = new Revocation(svid.issuer(), serial, clock.instant(), reason);
        boolean created = revocations.revoke(revocation);
        if (created) {
            metrics.revoked();
            audit.record("event=svid_revoked spiffe_id=" + svid.spiffeId() + " serial=" + serial.toString(16)
                    + " reason=" + reasonName(reason));
        }
        Revocation stored = revocations.find(svid.issuer(), serial).orElse(revocation);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serial", serial.toString(16));
        body.put("spiffe_id", svid.spiffeId());
        body.put("reason", reasonName(stored.reason()));
        body.put("revoked_at", stored.revokedAt().toString());
        Exchanges.sendJson(exchange, created ? 201 : 200, body);
    }

    private Map<String, Object> rotate() {
        Authority previous = ca.activeIntermediate();
        Authority next = ca.rotateIntermediate();
        metrics.intermediateRotated();
        audit.record("event=ca_intermediate_rotated intermediate=" + next.keyId() + " previous=" + previous.keyId());
        // SVIDs of the previous intermediate are re-issued now (CaSvidSource); the old ones live one lifetime more
        Duration overlap = ca.settings().svidLifetime();
        Instant retireAt = clock.instant().plus(overlap);
        scheduler.schedule(() -> retire(previous), overlap.toMillis(), TimeUnit.MILLISECONDS);
        log.info("event=ca.intermediate_rotated intermediate={} previous={} previous_retired_at={}", next.keyId(),
                previous.keyId(), retireAt);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("intermediate", next.keyId());
        body.put("previous", previous.keyId());
        body.put("previous_retired_at", retireAt.toString());
        return body;
    }

    private Map<String, Object> rotateRoot() {
        RootRotation.Started started = rootRotation.start().orElseThrow(() -> new ApiException(409, "rotation_in_progress",
                "root rotation: " + rootRotation.current().map(c -> "to " + c.root().keyId() + ", previous root retired at "
                        + c.previousRetiredAt()).orElse("under way") + " (expected: one root rotation at a time)"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("root", started.root().keyId());
        body.put("previous", started.previous().keyId());
        body.put("activates_at", started.activatesAt().toString());
        body.put("previous_retired_at", started.previousRetiredAt().toString());
        return body;
    }

    private void retire(Authority intermediate) {
        if (ca.intermediates().contains(intermediate) && !ca.activeIntermediate().equals(intermediate)) {
            ca.retireIntermediate(intermediate);
        }
    }

    private Map<String, Object> status() {
        Map<String, Object> svids = new LinkedHashMap<>();
        svids.put("issued", metrics.svidsIssued());
        svids.put("active", issued.current(i -> revocations.find(i.issuer(), i.serial()).isEmpty()).size());
        Authority active = ca.activeIntermediate();
        List<Map<String, Object>> intermediates = ca.intermediates().stream().map(i -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key_id", i.keyId());
            entry.put("active", i.equals(active));
            entry.put("not_after", i.notAfter().toString());
            return entry;
        }).toList();
        List<Map<String, Object>> roots = ca.bundle().stream().map(root -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("subject", root.getSubjectX500Principal().getName());
            entry.put("not_after", root.getNotAfter().toInstant().toString());
            return entry;
        }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("trust_domain", ca.settings().trustDomain().name());
        body.put("svid_lifetime", ca.settings().svidLifetime().toString());
        body.put("svids", svids);
        body.put("intermediates", intermediates);
        body.put("roots", roots);
        return body;
    }

    private static Map<String, Object> jsonObject(byte[] body) {
        try {
            return JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8), MAX_BODY_BYTES);
        } catch (ParseException | RuntimeException e) {
            throw badRequest("body: not a JSON object (expected: {\"serial\":\"<hex>\",\"reason\":\"keyCompromise\"})");
        }
    }

    private static String reasonName(RevocationReason reason) {
        return REASONS.entrySet().stream().filter(e -> e.getValue() == reason).map(Map.Entry::getKey).findFirst()
                .orElse(reason.name());
    }

    private static ApiException badRequest(String message) {
        return new ApiException(400, "invalid_request", message);
    }
}
