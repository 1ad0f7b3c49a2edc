package dev.bulwark.securitykit.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * Presents the supplier's current SVID in every handshake, so a renewed SVID is used from the next
 * handshake on without rebuilding the {@link javax.net.ssl.SSLContext}.
 *
 * <p>JSSE asks for an alias, then for the key and the chain of that alias in separate calls; the
 * alias names one SVID (by its leaf's serial), and the last two SVIDs handed out are remembered, so a
 * renewal between those calls can never pair one SVID's key with another's chain. Issuers the peer
 * asks for are ignored: in SPIFFE the peer's trust bundle decides, not its CA list.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private static final String PREFIX = "spiffe-svid-";

    private record Entry(String alias, Svid svid) {
    }

    private final SvidSupplier supplier;
    private volatile @Nullable Entry current;
    private volatile @Nullable Entry previous;

    ReloadingKeyManager(SvidSupplier supplier) {
        this.supplier = Objects.requireNonNull(supplier, "supplier");
    }

    @Override
    public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public @Nullable String chooseClientAlias(String[] keyTypes, Principal @Nullable [] issuers, @Nullable Socket socket) {
        return chooseFor(keyTypes);
    }

    @Override
    public @Nullable String chooseEngineClientAlias(String[] keyTypes, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
        return chooseFor(keyTypes);
    }

    @Override
    public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public X509Certificate @Nullable [] getCertificateChain(String alias) {
        Svid svid = lookup(alias);
        return svid == null ? null : svid.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public @Nullable PrivateKey getPrivateKey(String alias) {
        Svid svid = lookup(alias);
        return svid == null ? null : svid.privateKey();
    }

    private @Nullable String chooseFor(String @Nullable [] keyTypes) {
        if (keyTypes == null) {
            return null;
        }
        for (String keyType : keyTypes) {
            String alias = aliasFor(keyType);
            if (alias != null) {
                return alias;
            }
        }
        return null;
    }

    /** The alias of the current SVID when its key fits {@code keyType} ("EC", "RSA", "EC_EC", ...). */
    private @Nullable String aliasFor(@Nullable String keyType) {
        Svid svid = supplier.svid();
        if (keyType == null || !keyFits(svid, keyType)) {
            return null;
        }
        return remember(svid).alias();
    }

    private static boolean keyFits(Svid svid, String keyType) {
        String wanted = keyType.contains("_") ? keyType.substring(0, keyType.indexOf('_')) : keyType;
        String actual = svid.privateKey().getAlgorithm();
        return wanted.equalsIgnoreCase(actual) || ("EC".equalsIgnoreCase(wanted) && "ECDSA".equalsIgnoreCase(actual));
    }

    private synchronized Entry remember(Svid svid) {
        Entry now = current;
        if (now != null && now.svid().equals(svid)) {
            return now;
        }
        Entry next = new Entry(PREFIX + svid.leaf().getSerialNumber().toString(16), svid);
        previous = now;
        current = next;
        return next;
    }

    private @Nullable Svid lookup(@Nullable String alias) {
        for (Entry entry : new Entry[] {current, previous}) {
            if (entry != null && entry.alias().equals(alias)) {
                return entry.svid();
            }
        }
        return null;
    }
}
