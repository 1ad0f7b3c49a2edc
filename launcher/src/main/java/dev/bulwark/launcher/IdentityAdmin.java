package dev.bulwark.launcher;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.workload.WorkloadApiSvids;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * {@code ./bulwark revoke} and {@code ./bulwark rotate}: calls the admin API of one trust domain's
 * identity process (ecomm's by default, {@code --domain logistics} for the other) over mutual TLS as
 * {@code spiffe://<trust domain>/admin}.
 *
 * <p>This process gets that identity the way every component gets its own: it registers its pid in
 * that domain's {@code identity/registrations} (see {@link Registrations} for why whoever may write that
 * file may do so), fetches an X.509-SVID through that domain's Workload API, and removes its line when
 * the call is done. The admin API's certificate must carry {@code spiffe://<trust domain>/identity}.
 */
final class IdentityAdmin {

    private static final Duration FIRST_SVID_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    /** java-spiffe logs through java.util.logging; its INFO lines are noise in a command's output. */
    private static final java.util.logging.Logger SPIFFE_LOG = java.util.logging.Logger.getLogger("io.spiffe");

    private final Path home;
    private final Domain domain;
    private final String adminId;
    private final String identityId;
    private final PrintStream out;

    IdentityAdmin(Path home, Domain domain, PrintStream out) {
        this.home = home;
        this.domain = domain;
        this.adminId = domain.spiffeId("admin");
        this.identityId = domain.spiffeId("identity");
        this.out = out;
        SPIFFE_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** Revokes the SVID with this serial (hex); 0 when revoked, 1 otherwise. */
    int revoke(String serialHex, String reason) {
        String serial = normalizedSerial(serialHex);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serial", serial);
        body.put("reason", reason);
        Optional<HttpResponse<String>> response = call("/admin/revocations", JSONObjectUtils.toJSONString(body));
        if (response.isEmpty()) {
            return 1;
        }
        int status = response.get().statusCode();
        if (status == 200 || status == 201) {
            out.println("revoked " + serial + " (" + reason + "): OCSP answers revoked and the next CRL lists it");
            return 0;
        }
        out.println(status == 404
                ? "revoke failed: no SVID with serial " + serial + " was issued by this identity process"
                : "revoke failed: HTTP " + status + " " + response.get().body().strip());
        return 1;
    }

    /** Introduces a new intermediate CA; 0 when done, 1 otherwise. */
    int rotateIntermediate() {
        Optional<HttpResponse<String>> response = call("/admin/rotations/intermediate", "{}");
        if (response.isEmpty()) {
            return 1;
        }
        if (response.get().statusCode() != 200) {
            out.println("rotate failed: HTTP " + response.get().statusCode() + " " + response.get().body().strip());
            return 1;
        }
        String intermediate = field(response.get().body(), "intermediate").orElse(response.get().body().strip());
        out.println("new intermediate " + intermediate + " signs from now on; the previous one is retired after"
                + " the longest SVID lifetime, and every workload is re-issued an SVID");
        return 0;
    }

    /**
     * Introduces a new root CA: trusted at once, signing after the propagation delay, the old root
     * retired one SVID lifetime later; 0 when accepted, 1 otherwise.
     */
    int rotateRoot() {
        Optional<HttpResponse<String>> response = call("/admin/rotations/root", "{}");
        if (response.isEmpty()) {
            return 1;
        }
        if (response.get().statusCode() != 202) {
            out.println("rotate failed: HTTP " + response.get().statusCode() + " " + response.get().body().strip());
            return 1;
        }
        String body = response.get().body();
        out.println("new root " + field(body, "root").orElse("?") + " is trusted now and signs from "
                + field(body, "activates_at").orElse("?") + "; the previous root is retired at "
                + field(body, "previous_retired_at").orElse("?"));
        return 0;
    }

    /** The serial as the admin API takes it: lower-case hex, no prefix, separators or leading zeros. */
    static String normalizedSerial(String hex) {
        String digits = hex.replace(":", "").toLowerCase(Locale.ROOT);
        if (digits.startsWith("0x")) {
            digits = digits.substring(2);
        }
        return new BigInteger(digits, 16).toString(16);
    }

    private Optional<HttpResponse<String>> call(String path, String json) {
        Optional<RunState.Entry> identity = RunState.read(home).orElse(List.of()).stream()
                .filter(e -> e.name().equals(domain.identityComponent()))
                .findFirst();
        if (identity.isEmpty() || !Supervisor.alive(identity.get().pid())) {
            out.println("Bulwark's " + domain.identityComponent() + " process is not running (" + RunState.file(home)
                    + "); start it with ./bulwark up");
            return Optional.empty();
        }
        String socket = identity.get().endpoints().get("workload_api");
        if (socket == null) {
            throw new IllegalStateException(RunState.file(home) + " names no identity workload_api socket; run down and up again");
        }
        Registrations registrations = domain.registrations();
        long pid = ProcessHandle.current().pid();
        registrations.put(pid, adminId);
        try (WorkloadApiSvids svids = WorkloadApiSvids.connect(Path.of(socket), FIRST_SVID_TIMEOUT)) {
            if (!adminId.equals(svids.spiffeId())) {
                throw new IllegalStateException("the Workload API gave this process " + svids.spiffeId()
                        + " (expected: " + adminId + ")");
            }
            SSLContext tls = SpiffeTls.clientContext(svids, SpiffeIdPolicy.oneOf(identityId), HandshakeFailureListener.NONE);
            HttpClient http = HttpClient.newBuilder()
                    .sslContext(tls)
                    .sslParameters(SpiffeTls.clientParameters(tls))
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(CALL_TIMEOUT)
                    .build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(identity.get().url() + path))
                    .timeout(CALL_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build();
            return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new IllegalStateException("calling " + identity.get().url() + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            registrations.remove(pid);
        }
    }

    private static Optional<String> field(String json, String name) {
        try {
            return Optional.ofNullable(JSONObjectUtils.getString(JSONObjectUtils.parse(json), name));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
