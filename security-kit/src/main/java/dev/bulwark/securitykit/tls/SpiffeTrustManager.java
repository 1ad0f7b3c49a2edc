package dev.bulwark.securitykit.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a peer's X.509-SVID (SPIFFE X509-SVID §4–5) against the supplier's current trust bundle,
 * then authorizes its SPIFFE ID:
 *
 * <ol>
 *   <li>a chain is present ({@code no_certificate});
 *   <li>PKIX path validation (RFC 5280 §6, the JDK's {@link CertPathValidator}) from the leaf to a
 *       root of the bundle of the leaf's trust domain (SPIFFE federation: this workload's own domain →
 *       {@link SvidSupplier#bundle()}, another domain → its {@link SvidSupplier#federatedBundles()
 *       federated bundle}, a domain with no bundle → {@code untrusted_chain}; a leaf without a SPIFFE
 *       ID is validated against the own bundle), with the JDK's disabled-algorithm constraints ({@code expired},
 *       {@code not_yet_valid}, {@code untrusted_chain}); the leaf must not be a CA (X509-SVID §4.1).
 *       The JDK's own revocation checking is off;
 *   <li>the leaf carries exactly one URI SAN and it is a {@code spiffe://} ID (X509-SVID §2,
 *       {@code no_spiffe_id});
 *   <li>the {@link SpiffeIdPolicy} accepts that ID ({@code spiffe_id_not_allowed});
 *   <li>when a {@link RevocationChecker} is given: no certificate of the validated path (leaf to the
 *       anchor, the anchor excluded) is revoked ({@code revoked}), and that was learned within the
 *       checker's bound ({@code revocation_unknown}, fail closed). It runs last so that peers refused
 *       for cheaper reasons cause no OCSP/CRL traffic. Without a checker, revocation is not checked.
 * </ol>
 *
 * <p>The same checks apply to a client's chain (server side) and a server's chain (client side); the
 * policy says whom this side accepts. No host name check is made: the SPIFFE ID is the identity.
 * A refusal throws {@link PeerRefusedException}, logs {@code event=tls.peer_refused} at INFO and
 * tells the {@link HandshakeFailureListener}.
 */
final class SpiffeTrustManager extends X509ExtendedTrustManager {

    private static final Logger log = LoggerFactory.getLogger(SpiffeTrustManager.class);
    private static final int URI_NAME = 6;

    private record Anchors(List<X509Certificate> bundle, Set<TrustAnchor> anchors) {
    }

    private static final String SCHEME = "spiffe://";

    private final SvidSupplier supplier;
    private final SpiffeIdPolicy policy;
    private final HandshakeFailureListener listener;
    private final String side;
    private final @Nullable RevocationChecker revocation;
    private final Map<String, Anchors> anchors = new ConcurrentHashMap<>();

    SpiffeTrustManager(SvidSupplier supplier, SpiffeIdPolicy policy, HandshakeFailureListener listener, String side) {
        this(supplier, policy, listener, side, null);
    }

    SpiffeTrustManager(SvidSupplier supplier, SpiffeIdPolicy policy, HandshakeFailureListener listener, String side,
            @Nullable RevocationChecker revocation) {
        this.revocation = revocation;
        this.supplier = Objects.requireNonNull(supplier, "supplier");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.side = Objects.requireNonNull(side, "side");
    }

    @Override
    public void checkClientTrusted(X509Certificate @Nullable [] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate @Nullable [] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate @Nullable [] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate @Nullable [] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate @Nullable [] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate @Nullable [] chain, String authType) throws CertificateException {
        check(chain);
    }

    /**
     * The roots of the current bundle and of the federated bundles, sent in a CertificateRequest as
     * acceptable issuers.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        List<X509Certificate> issuers = new ArrayList<>(supplier.bundle());
        supplier.federatedBundles().values().forEach(issuers::addAll);
        return issuers.toArray(X509Certificate[]::new);
    }

    /** Runs every check; returns the peer's SPIFFE ID. */
    String check(X509Certificate @Nullable [] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw refuse(RefusalReason.NO_CERTIFICATE, null, "the peer sent no certificate", null);
        }
        List<X509Certificate> path = validatePath(chain);
        String spiffeId = spiffeIdOf(chain[0]);
        if (spiffeId == null) {
            throw refuse(RefusalReason.NO_SPIFFE_ID, null,
                    "leaf " + chain[0].getSerialNumber().toString(16) + " (expected: exactly one spiffe:// URI SAN)", null);
        }
        if (!policy.allows(spiffeId)) {
            throw refuse(RefusalReason.SPIFFE_ID_NOT_ALLOWED, spiffeId, spiffeId, null);
        }
        RevocationChecker checker = revocation;
        if (checker != null) {
            RevocationChecker.Verdict verdict;
            try {
                verdict = checker.check(path);
            } catch (RuntimeException e) {
                verdict = new RevocationChecker.Verdict(RevocationChecker.Status.UNKNOWN,
                        "the revocation checker failed: " + e.getClass().getName());
            }
            if (verdict.status() == RevocationChecker.Status.REVOKED) {
                throw refuse(RefusalReason.REVOKED, spiffeId, verdict.detail(), null);
            }
            if (verdict.status() != RevocationChecker.Status.GOOD) {
                throw refuse(RefusalReason.REVOCATION_UNKNOWN, spiffeId, verdict.detail(), null);
            }
        }
        return spiffeId;
    }

    /** PKIX-validates the chain; returns the path leaf first, ending with the trust anchor's certificate. */
    private List<X509Certificate> validatePath(X509Certificate[] chain) throws CertificateException {
        Anchors current = anchorsFor(chain[0]);
        List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
        // A peer may send the root too; PKIX wants the path without the anchor.
        while (path.size() > 1 && current.bundle().contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        if (chain[0].getBasicConstraints() != -1) {
            throw refuse(RefusalReason.UNTRUSTED_CHAIN, null, "the leaf is a CA certificate", null);
        }
        try {
            PKIXParameters parameters = new PKIXParameters(current.anchors());
            parameters.setRevocationEnabled(false);
            PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
            if (anchor != null) {
                path.add(anchor);
            }
            return List.copyOf(path);
        } catch (CertPathValidatorException e) {
            RefusalReason reason = e.getReason() == BasicReason.EXPIRED ? RefusalReason.EXPIRED
                    : e.getReason() == BasicReason.NOT_YET_VALID ? RefusalReason.NOT_YET_VALID
                    : RefusalReason.UNTRUSTED_CHAIN;
            throw refuse(reason, null, String.valueOf(e.getMessage()), e);
        } catch (GeneralSecurityException e) {
            throw refuse(RefusalReason.UNTRUSTED_CHAIN, null, String.valueOf(e.getMessage()), e);
        }
    }

    /** The anchors of the leaf's trust domain; refuses a leaf of a domain this side has no bundle for. */
    private Anchors anchorsFor(X509Certificate leaf) throws CertificateException {
        String spiffeId = spiffeIdOf(leaf);
        String peerDomain = spiffeId == null ? null : trustDomainOf(spiffeId);
        String ownId = spiffeIdOf(supplier.svid().leaf());
        String ownDomain = ownId == null ? null : trustDomainOf(ownId);
        List<X509Certificate> bundle;
        if (peerDomain == null || peerDomain.equals(ownDomain)) {
            bundle = supplier.bundle();
        } else {
            List<X509Certificate> federated = supplier.federatedBundles().get(peerDomain);
            if (federated == null) {
                throw refuse(RefusalReason.UNTRUSTED_CHAIN, spiffeId, "trust domain " + peerDomain
                        + " (expected: " + ownDomain + " or a federated domain " + supplier.federatedBundles().keySet()
                        + ")", null);
            }
            bundle = federated;
        }
        String key = peerDomain == null ? "" : peerDomain;
        Anchors cached = anchors.get(key);
        if (cached != null && cached.bundle() == bundle) {
            return cached;
        }
        Set<TrustAnchor> set = new HashSet<>();
        bundle.forEach(root -> set.add(new TrustAnchor(root, null)));
        Anchors fresh = new Anchors(bundle, Set.copyOf(set));
        anchors.put(key, fresh);
        return fresh;
    }

    /** The trust-domain name of a {@code spiffe://} ID ({@code ecomm.local}), lower case. */
    static String trustDomainOf(String spiffeId) {
        String rest = spiffeId.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        return (slash < 0 ? rest : rest.substring(0, slash)).toLowerCase(Locale.ROOT);
    }

    /** The leaf's SPIFFE ID: its only URI SAN, when that is a {@code spiffe://} URI; else null. */
    static @Nullable String spiffeIdOf(X509Certificate leaf) {
        Collection<List<?>> names;
        try {
            names = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return null;
        }
        if (names == null) {
            return null;
        }
        List<String> uris = new ArrayList<>();
        for (List<?> name : names) {
            if (name.size() >= 2 && Integer.valueOf(URI_NAME).equals(name.get(0)) && name.get(1) instanceof String uri) {
                uris.add(uri);
            }
        }
        if (uris.size() != 1) {
            return null;
        }
        String uri = uris.get(0);
        return uri.toLowerCase(Locale.ROOT).startsWith("spiffe://") && uri.length() > "spiffe://".length() ? uri : null;
    }

    private PeerRefusedException refuse(RefusalReason reason, @Nullable String peerSpiffeId, String detail,
            @Nullable Throwable cause) {
        return report(reason, peerSpiffeId, detail, cause, side, listener);
    }

    static PeerRefusedException report(RefusalReason reason, @Nullable String peerSpiffeId, String detail,
            @Nullable Throwable cause, String side, HandshakeFailureListener listener) {
        log.info("event=tls.peer_refused reason={} side={} peer_spiffe_id={}", reason.code(), side,
                peerSpiffeId == null ? "-" : peerSpiffeId);
        try {
            listener.refused(reason, peerSpiffeId);
        } catch (RuntimeException e) {
            log.warn("event=tls.refusal_listener_failed error={}", e.getClass().getName());
        }
        return new PeerRefusedException(reason, peerSpiffeId, detail, cause);
    }
}
