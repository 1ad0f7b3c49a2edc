package dev.bulwark.e2e;

import dev.bulwark.launcher.Registrations;
import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.securitykit.tls.SvidSupplier;
import dev.bulwark.securitykit.workload.WorkloadApiSvids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * This test JVM as a workload of a running system: it registers its own pid in
 * {@code identity/registrations}, as the launcher does for a component, and fetches the SVID of that
 * identity through the Workload API with security-kit's client. The kernel tells the identity process
 * our pid, so we get exactly the identity we registered.
 *
 * <p>One pid has one identity at a time; switching identities is seen by the identity process within
 * its 1 s re-read, so {@link #svid} retries until the Workload API answers with the asked ID.
 */
final class WorkloadIdentity {

    /** java-spiffe logs each client close at INFO through java.util.logging: noise in the test output. */
    private static final java.util.logging.Logger SPIFFE_LOG = java.util.logging.Logger.getLogger("io.spiffe");

    static {
        SPIFFE_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private WorkloadIdentity() {
    }

    /** A fixed SVID and bundle, taken from the Workload API at one moment (it never rotates). */
    record Snapshot(Svid svid, List<X509Certificate> bundle, Map<String, List<X509Certificate>> federatedBundles)
            implements SvidSupplier {

        @Override
        public void addChangeListener(Runnable listener) {
            // fixed: never changes
        }

        X509Certificate leaf() {
            return svid.leaf();
        }

        X509Certificate issuer() {
            return svid.chain().get(1);
        }

        String serialHex() {
            return leaf().getSerialNumber().toString(16);
        }

        /** Writes the leaf and its issuing intermediate as PEM files (for openssl). */
        void writePem(Path leafFile, Path issuerFile) {
            try {
                Files.writeString(leafFile, pem(leaf()));
                Files.writeString(issuerFile, pem(issuer()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Registers this JVM as {@code spiffe://ecomm.local/<name>} and returns the SVID the Workload API
     * gives it (the stream is closed again; the snapshot stays usable until its notAfter).
     */
    static synchronized Snapshot svid(LocalSystem system, String name) {
        String spiffeId = "spiffe://ecomm.local/" + name;
        Registrations.of(system.home).put(ProcessHandle.current().pid(), spiffeId);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        String got = "(nothing)";
        while (Instant.now().isBefore(deadline)) {
            try (WorkloadApiSvids svids = WorkloadApiSvids.connect(system.workloadSocket(), Duration.ofSeconds(5))) {
                got = svids.spiffeId();
                if (got.equals(spiffeId)) {
                    return new Snapshot(svids.svid(), svids.bundle(), svids.federatedBundles());
                }
            } catch (IllegalStateException e) {
                got = e.getMessage();
            }
            sleep(Duration.ofMillis(300));
        }
        throw new AssertionError("the Workload API did not give this process " + spiffeId + " within 20 s; last: " + got);
    }

    /** Removes this JVM's line from the registrations file. */
    static synchronized void forget(LocalSystem system) {
        Registrations.of(system.home).remove(ProcessHandle.current().pid());
    }

    static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
