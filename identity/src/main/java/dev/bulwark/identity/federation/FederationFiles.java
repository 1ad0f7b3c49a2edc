package dev.bulwark.identity.federation;

import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.identity.workload.FederatedBundle;
import dev.bulwark.identity.workload.FederatedBundleSource;
import dev.bulwark.identity.workload.X509SvidSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundles of federated trust domains, each read from a PEM file of root certificates (the other
 * domain's {@code pki/bundle.pem}, SPIFFE Trust Domain and Bundle §6 in local-file form) and
 * re-read by {@link #poll()} (the identity process calls it every {@link #POLL_INTERVAL}).
 *
 * <p>A missing file is not an error: that domain has no bundle until the file appears (the two
 * identity processes of local mode start together, each federating the other's file). A file that
 * cannot be read as PEM certificates, or that holds a certificate which is not a CA, is logged
 * ({@code federation.bundle_invalid}) and the last good bundle of that domain stays in force: a
 * half-written file must not make a domain untrusted. A file that disappears takes its bundle away.
 * Subscribers get the whole set at once, then again after every poll that changed it.
 */
public final class FederationFiles implements FederatedBundleSource {

    /** How often the identity process re-reads the files. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(FederationFiles.class);

    private final Map<TrustDomain, Path> files;
    private final Map<TrustDomain, byte[]> raw = new HashMap<>();
    private final Map<TrustDomain, FederatedBundle> bundles = new LinkedHashMap<>();
    private final Set<TrustDomain> missing = new HashSet<>();
    private final Set<Consumer<List<FederatedBundle>>> listeners = new CopyOnWriteArraySet<>();

    private FederationFiles(Map<TrustDomain, Path> files) {
        this.files = Map.copyOf(files);
    }

    /**
     * The federated bundles of {@code files} (trust domain → PEM file), read once now.
     *
     * @throws IllegalArgumentException if {@code own} is among the federated domains
     */
    public static FederationFiles open(TrustDomain own, Map<TrustDomain, Path> files) {
        Objects.requireNonNull(own, "own");
        Objects.requireNonNull(files, "files");
        if (files.containsKey(own)) {
            throw new IllegalArgumentException("federation: " + own + " (expected: other trust domains than this one's own)");
        }
        FederationFiles federation = new FederationFiles(files);
        federation.poll();
        return federation;
    }

    /** The federated trust domains and their files. */
    public Map<TrustDomain, Path> files() {
        return files;
    }

    /** Re-reads every file; tells the subscribers when a bundle changed. Returns whether one did. */
    public synchronized boolean poll() {
        boolean any = false;
        for (Map.Entry<TrustDomain, Path> entry : files.entrySet()) {
            any |= read(entry.getKey(), entry.getValue());
        }
        if (any) {
            List<FederatedBundle> set = current();
            for (Consumer<List<FederatedBundle>> listener : listeners) {
                try {
                    listener.accept(set);
                } catch (RuntimeException e) {
                    log.info("event=federation.subscriber_failed reason={}", e.toString());
                }
            }
        }
        return any;
    }

    /** The bundles in force now, one per federated domain whose file held a valid bundle. */
    public synchronized List<FederatedBundle> current() {
        return List.copyOf(bundles.values());
    }

    @Override
    public X509SvidSource.Subscription subscribe(Consumer<List<FederatedBundle>> listener) {
        Objects.requireNonNull(listener, "listener");
        // under the lock poll holds while it notifies: a subscriber never gets an older set after a newer one
        synchronized (this) {
            listeners.add(listener);
            listener.accept(current());
        }
        return () -> listeners.remove(listener);
    }

    /** Reads one file; returns whether that domain's bundle changed. */
    private boolean read(TrustDomain domain, Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            content = null;
        } catch (IOException e) {
            log.warn("event=federation.bundle_unreadable trust_domain={} file={} reason={}", domain, file, e.toString());
            return false;
        }
        if (content == null) {
            raw.remove(domain);
            if (missing.add(domain)) {
                log.info("event=federation.bundle_missing trust_domain={} file={}", domain, file);
            }
            if (bundles.remove(domain) != null) {
                log.info("event=federation.bundle_removed trust_domain={} file={}", domain, file);
                return true;
            }
            return false;
        }
        missing.remove(domain);
        if (Arrays.equals(content, raw.get(domain))) {
            return false;
        }
        raw.put(domain, content);
        List<X509Certificate> roots;
        try {
            roots = parse(content);
        } catch (IllegalArgumentException e) {
            log.warn("event=federation.bundle_invalid trust_domain={} file={} reason=\"{}\" kept_previous={}", domain, file,
                    e.getMessage(), bundles.containsKey(domain));
            return false;
        }
        FederatedBundle bundle = new FederatedBundle(domain.id().toString(), der(roots));
        if (bundle.equals(bundles.put(domain, bundle))) {
            return false;
        }
        log.info("event=federation.bundle_updated trust_domain={} file={} roots={}", domain, file, roots.size());
        return true;
    }

    /** PEM (or DER) certificates, at least one, every one a CA certificate. */
    static List<X509Certificate> parse(byte[] content) {
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(content));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not PEM certificates (expected: the other domain's bundle.pem): " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate (expected: at least one root certificate)");
        }
        List<X509Certificate> roots = new ArrayList<>();
        for (Certificate certificate : certificates) {
            X509Certificate x509 = (X509Certificate) certificate;
            if (x509.getBasicConstraints() < 0) {
                throw new IllegalArgumentException("certificate " + x509.getSubjectX500Principal().getName()
                        + " is not a CA (expected: root certificates)");
            }
            roots.add(x509);
        }
        return roots;
    }

    private static byte[] der(List<X509Certificate> roots) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (X509Certificate root : roots) {
            try {
                out.writeBytes(root.getEncoded());
            } catch (CertificateException e) {
                throw new IllegalArgumentException("cannot DER-encode " + root.getSubjectX500Principal(), e);
            }
        }
        return out.toByteArray();
    }
}
