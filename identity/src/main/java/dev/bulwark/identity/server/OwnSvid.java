package dev.bulwark.identity.server;

import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.workload.SvidUpdate;
import dev.bulwark.identity.workload.X509SvidSource;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.Svid;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The identity process's own X.509-SVID, issued by its own CA through the same source workloads use,
 * so it is renewed at half its lifetime and re-issued when the CA rotates, like any other; the admin
 * API's TLS presents it.
 */
final class OwnSvid implements AutoCloseable {

    private final MutableSvidSupplier supplier;
    private final X509SvidSource.Subscription subscription;

    private OwnSvid(MutableSvidSupplier supplier, X509SvidSource.Subscription subscription) {
        this.supplier = supplier;
        this.subscription = subscription;
    }

    /** Subscribes to the SVID of {@code id}; the source must publish the first one before returning. */
    static OwnSvid subscribe(X509SvidSource source, SpiffeId id) {
        AtomicReference<MutableSvidSupplier> holder = new AtomicReference<>();
        X509SvidSource.Subscription subscription = source.subscribe(id.toString(), update -> {
            Svid svid = new Svid(privateKey(update), certificates(update.certificateChainDer()));
            List<X509Certificate> bundle = certificates(update.bundleDer());
            if (!holder.compareAndSet(null, MutableSvidSupplier.of(svid, bundle))) {
                holder.get().update(svid, bundle);
            }
        });
        MutableSvidSupplier supplier = holder.get();
        if (supplier == null) {
            subscription.close();
            throw new IllegalStateException("no SVID issued for the identity process itself (" + id + ")");
        }
        return new OwnSvid(supplier, subscription);
    }

    MutableSvidSupplier supplier() {
        return supplier;
    }

    @Override
    public void close() {
        subscription.close();
    }

    private static List<X509Certificate> certificates(byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(der)).stream()
                    .map(X509Certificate.class::cast).toList();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the identity process's own SVID", e);
        }
    }

    private static PrivateKey privateKey(SvidUpdate update) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(update.privateKeyPkcs8Der()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the identity process's own SVID key", e);
        }
    }
}
