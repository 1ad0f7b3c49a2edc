package dev.bulwark.identity.ca;

import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.securitykit.PrivateFiles;
import dev.bulwark.securitykit.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload CA: a root (the trust bundle), an intermediate it signs, and X.509-SVIDs issued by the
 * intermediate from PKCS#10 CSRs only (SPIFFE X509-SVID spec §4–5).
 *
 * <p>Rotation keeps an overlap in which old and new are both trusted:
 * <ul>
 *   <li>{@link #rotateIntermediate()} makes a new intermediate (same root) the signer; the old one
 *       still validates, and keeps its CRL and OCSP, until {@link #retireIntermediate} or its expiry;</li>
 *   <li>{@link #prepareRoot()} adds a new root to {@link #bundle()} (workloads learn to trust it),
 *       {@link #activateRoot()} then makes a new intermediate under it the signer, and
 *       {@link #retireRoot} finally drops the old root and its intermediates from the bundle.</li>
 * </ul>
 * Thread-safe: readers see an immutable snapshot, changes are serialized.
 */
public final class WorkloadCa {

    private static final Logger log = LoggerFactory.getLogger(WorkloadCa.class);
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private record State(List<Authority> roots, Authority activeRoot, @Nullable Authority pendingRoot,
            List<Authority> intermediates, Authority activeIntermediate) {
    }

    private final WorkloadCaSettings settings;
    private final Clock clock;
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private volatile State state;

    private WorkloadCa(WorkloadCaSettings settings, Clock clock, Authority root) {
        this.settings = settings;
        this.clock = clock;
        Authority intermediate = newIntermediate(root);
        this.state = new State(List.of(root), root, null, List.of(intermediate), intermediate);
    }

    /** A CA with a new root and intermediate. */
    public static WorkloadCa create(WorkloadCaSettings settings) {
        return create(settings, Clock.systemUTC());
    }

    /** A CA with a new root and intermediate, on {@code clock}. */
    public static WorkloadCa create(WorkloadCaSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        return new WorkloadCa(settings, clock, CaCertificates.root(settings.trustDomain(), clock.instant(), settings.rootLifetime()));
    }

    /**
     * A CA whose root is read from PEM files when both exist, or created and written there (the key with
     * mode 0600); the intermediate is always new.
     */
    public static WorkloadCa loadOrCreate(Path rootCertificatePem, Path rootKeyPem, WorkloadCaSettings settings, Clock clock) {
        Objects.requireNonNull(rootCertificatePem, "rootCertificatePem");
        Objects.requireNonNull(rootKeyPem, "rootKeyPem");
        if (Files.exists(rootCertificatePem) && Files.exists(rootKeyPem)) {
            Authority root = checkedRoot(Pem.readCertificate(rootCertificatePem), Pem.readPrivateKey(rootKeyPem), rootCertificatePem);
            return new WorkloadCa(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"), root);
        }
        WorkloadCa ca = create(settings, clock);
        Authority root = ca.state.activeRoot();
        PrivateFiles.writePublicString(rootCertificatePem, Pem.encode(root.certificate()));
        PrivateFiles.writeString(rootKeyPem, Pem.encode(root.privateKey()));
        log.info("event=ca.root.created keyId={} file={}", root.keyId(), rootCertificatePem);
        return ca;
    }

    public WorkloadCaSettings settings() {
        return settings;
    }

    /** The trust bundle: every current root, the active one first (SPIFFE Trust Domain and Bundle spec). */
    public List<X509Certificate> bundle() {
        State s = state;
        List<X509Certificate> bundle = new ArrayList<>();
        bundle.add(s.activeRoot().certificate());
        s.roots().stream().filter(r -> !r.equals(s.activeRoot())).forEach(r -> bundle.add(r.certificate()));
        return List.copyOf(bundle);
    }

    /** The bundle as PEM text. */
    public String bundlePem() {
        StringBuilder pem = new StringBuilder();
        bundle().forEach(c -> pem.append(Pem.encode(c)));
        return pem.toString();
    }

    /** The root whose intermediate signs new SVIDs (first in {@link #bundle()}). */
    public Authority activeRoot() {
        return state.activeRoot();
    }

    /**
     * Writes the active root to {@code rootCertificatePem} and {@code rootKeyPem} (the files
     * {@link #loadOrCreate} reads), each replaced atomically, the key with mode 0600, so that a restart
     * keeps the root in use. The key is written first; the two renames are not one step, so a crash
     * between them leaves a pair that {@link #loadOrCreate} refuses (it never starts with a mismatch).
     */
    public synchronized void saveActiveRoot(Path rootCertificatePem, Path rootKeyPem) {
        Objects.requireNonNull(rootCertificatePem, "rootCertificatePem");
        Objects.requireNonNull(rootKeyPem, "rootKeyPem");
        Authority root = state.activeRoot();
        PrivateFiles.writeString(rootKeyPem, Pem.encode(root.privateKey()));
        PrivateFiles.writePublicString(rootCertificatePem, Pem.encode(root.certificate()));
        log.info("event=ca.root.saved keyId={} file={}", root.keyId(), rootCertificatePem);
    }

    /** The intermediate that signs new SVIDs. */
    public Authority activeIntermediate() {
        return state.activeIntermediate();
    }

    /** Every intermediate not yet retired, whose SVIDs are still trusted (CRL and OCSP serve each). */
    public List<Authority> intermediates() {
        return state.intermediates();
    }

    /**
     * Calls {@code listener} after every change of the signing intermediate or of the bundle
     * ({@link #rotateIntermediate}, {@link #prepareRoot}, {@link #activateRoot}, {@link #retireRoot}), so
     * that SVIDs can be re-issued and bundles re-published. It runs on the rotating thread while the
     * change is serialized: it must return quickly (hand the work to another thread).
     */
    public void addChangeListener(Runnable listener) {
        changeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops calling {@code listener}; removing one that is not there is harmless. */
    public void removeChangeListener(Runnable listener) {
        changeListeners.remove(listener);
    }

    private void changed() {
        for (Runnable listener : changeListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.info("event=ca.change_listener_failed reason={}", e.toString());
            }
        }
    }

    /** Issues an SVID with the default lifetime. */
    public X509Svid issue(PKCS10CertificationRequest csr, SpiffeId spiffeId, List<String> dnsNames) {
        return issue(csr, spiffeId, dnsNames, settings.svidLifetime());
    }

    /**
     * Issues an X.509-SVID for the key in {@code csr}: exactly one URI SAN ({@code spiffeId}), the DNS
     * SANs given, CA:false, digitalSignature, serverAuth and clientAuth. The CSR's own subject and
     * requested extensions are ignored: the caller has already established who the workload is.
     *
     * @throws CsrRejectedException when the CSR, the ID, a DNS name or the lifetime is not acceptable
     */
    public X509Svid issue(PKCS10CertificationRequest csr, SpiffeId spiffeId, List<String> dnsNames, Duration lifetime) {
        Objects.requireNonNull(csr, "csr");
        Objects.requireNonNull(spiffeId, "spiffeId");
        Objects.requireNonNull(dnsNames, "dnsNames");
        Objects.requireNonNull(lifetime, "lifetime");
        PublicKey key;
        try {
            checkRequest(spiffeId, dnsNames, lifetime);
            key = CsrVerifier.verify(csr);
        } catch (CsrRejectedException e) {
            // the ID is a validated type, safe to log; the message may echo raw input, so it stays out
            log.info("event=svid.refused spiffeId={}", spiffeId);
            throw e;
        }
        Authority issuer = state.activeIntermediate();
        Instant now = clock.instant();
        Instant notAfter = CaCertificates.min(now.plus(lifetime), issuer.notAfter());
        if (!notAfter.isAfter(now)) {
            throw new IllegalStateException("the active intermediate has expired: " + issuer);
        }
        X509Certificate leaf = CaCertificates.svid(issuer, key, spiffeId, List.copyOf(dnsNames), now, notAfter, settings);
        log.info("event=svid.issued spiffeId={} serial={} notAfter={}", spiffeId, leaf.getSerialNumber().toString(16), notAfter);
        return new X509Svid(spiffeId, List.of(leaf, issuer.certificate()));
    }

    private void checkRequest(SpiffeId spiffeId, List<String> dnsNames, Duration lifetime) {
        if (!spiffeId.memberOf(settings.trustDomain())) {
            throw new CsrRejectedException("SPIFFE ID: " + spiffeId + " (expected: a member of " + settings.trustDomain() + ")");
        }
        if (spiffeId.path().isEmpty()) {
            throw new CsrRejectedException("SPIFFE ID: " + spiffeId + " (expected: a workload path, not the trust domain)");
        }
        for (String dns : dnsNames) {
            if (!DNS_NAME.matcher(dns).matches()) {
                throw new CsrRejectedException("DNS name: " + dns + " (expected: a host name, no wildcard)");
            }
        }
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new CsrRejectedException("lifetime: " + lifetime + " (expected: at least PT1S)");
        }
    }

    /** Makes a new intermediate, under the active root, the signer; the previous one stays trusted. */
    public synchronized Authority rotateIntermediate() {
        State s = state;
        Authority next = newIntermediate(s.activeRoot());
        state = new State(s.roots(), s.activeRoot(), s.pendingRoot(), append(s.intermediates(), next), next);
        log.info("event=ca.intermediate.rotated keyId={} previous={}", next.keyId(), s.activeIntermediate().keyId());
        changed();
        return next;
    }

    /** Stops trusting SVIDs of {@code intermediate}; the active one cannot be retired. */
    public synchronized void retireIntermediate(Authority intermediate) {
        State s = state;
        if (intermediate.equals(s.activeIntermediate())) {
            throw new IllegalArgumentException("intermediate: " + intermediate + " (expected: not the active one)");
        }
        if (!s.intermediates().contains(intermediate)) {
            throw new IllegalArgumentException("intermediate: " + intermediate + " (expected: one of this CA's)");
        }
        state = new State(s.roots(), s.activeRoot(), s.pendingRoot(), without(s.intermediates(), intermediate),
                s.activeIntermediate());
        log.info("event=ca.intermediate.retired keyId={}", intermediate.keyId());
    }

    /** Creates a new root and adds it to the bundle, without signing with it yet. */
    public synchronized Authority prepareRoot() {
        State s = state;
        if (s.pendingRoot() != null) {
            throw new IllegalStateException("a new root is already prepared: " + s.pendingRoot());
        }
        Authority next = CaCertificates.root(settings.trustDomain(), clock.instant(), settings.rootLifetime());
        state = new State(append(s.roots(), next), s.activeRoot(), next, s.intermediates(), s.activeIntermediate());
        log.info("event=ca.root.prepared keyId={}", next.keyId());
        changed();
        return next;
    }

    /** Makes the prepared root active, with a new intermediate under it as the signer. */
    public synchronized Authority activateRoot() {
        State s = state;
        Authority root = s.pendingRoot();
        if (root == null) {
            throw new IllegalStateException("no new root prepared (expected: prepareRoot() first)");
        }
        Authority intermediate = newIntermediate(root);
        state = new State(s.roots(), root, null, append(s.intermediates(), intermediate), intermediate);
        log.info("event=ca.root.activated keyId={} intermediate={}", root.keyId(), intermediate.keyId());
        changed();
        return intermediate;
    }

    /** Removes {@code root} from the bundle, with every intermediate it signed; the active root cannot be retired. */
    public synchronized void retireRoot(X509Certificate root) {
        State s = state;
        Authority retired = s.roots().stream().filter(r -> r.certificate().equals(root)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("root: " + root.getSubjectX500Principal() + " (expected: one of this CA's)"));
        if (retired.equals(s.activeRoot()) || retired.equals(s.pendingRoot())) {
            throw new IllegalArgumentException("root: " + retired + " (expected: neither the active nor the prepared root)");
        }
        List<Authority> intermediates = s.intermediates().stream()
                .filter(i -> !i.certificate().getIssuerX500Principal().equals(root.getSubjectX500Principal()))
                .toList();
        state = new State(without(s.roots(), retired), s.activeRoot(), s.pendingRoot(), intermediates, s.activeIntermediate());
        log.info("event=ca.root.retired keyId={}", retired.keyId());
        changed();
    }

    private Authority newIntermediate(Authority root) {
        Instant now = clock.instant();
        if (!root.notAfter().isAfter(now.plus(settings.svidLifetime()))) {
            throw new IllegalStateException("root expires too soon to sign an intermediate: " + root);
        }
        return CaCertificates.intermediate(root, settings.trustDomain(), now, settings.intermediateLifetime(),
                settings.nameConstraints());
    }

    private static Authority checkedRoot(X509Certificate certificate, PrivateKey key, Path file) {
        if (!(certificate.getPublicKey() instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("root key in " + file + ": " + certificate.getPublicKey().getAlgorithm()
                    + " (expected: EC P-256)");
        }
        if (certificate.getBasicConstraints() < 1) {
            throw new IllegalArgumentException("root in " + file + ": pathLen " + certificate.getBasicConstraints()
                    + " (expected: a CA certificate allowing one intermediate, pathLen >= 1)");
        }
        try {
            byte[] probe = "bulwark root key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("root key in " + file + ": does not match the certificate (expected: its private key)");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("root key in " + file + ": unusable (expected: an EC P-256 private key)", e);
        }
        return new Authority(certificate, key);
    }

    private static List<Authority> append(List<Authority> list, Authority element) {
        List<Authority> copy = new ArrayList<>(list);
        copy.add(element);
        return List.copyOf(copy);
    }

    private static List<Authority> without(List<Authority> list, Authority element) {
        return list.stream().filter(a -> !a.equals(element)).toList();
    }
}
