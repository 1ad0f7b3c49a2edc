package dev.bulwark.securitykit.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Amazon Corretto Crypto Provider (AWS-LC) where its native library loads, the JDK's providers
 * otherwise. Measured here: ES256 signing 3-4x and verification about 7x the JDK's (docs/benchmarks.md),
 * which bounds how many tokens an STS issues and a gateway checks per second.
 *
 * <p>A component that wants ACCP has it on its class path; without it, everything falls back to the
 * JDK's providers and says so in one log line.
 */
public final class CryptoProviders {

    private static final Logger log = LoggerFactory.getLogger(CryptoProviders.class);
    private static final Optional<Provider> PREFERRED = load();

    private CryptoProviders() {
    }

    /** ACCP if it loaded and passed its self-test; empty otherwise. */
    public static Optional<Provider> preferred() {
        return PREFERRED;
    }

    /**
     * Puts the preferred provider first for the whole JVM (JWT signing and verification, TLS), once;
     * call it at the start of {@code main}.
     */
    public static synchronized void installPreferred() {
        PREFERRED.ifPresent(provider -> {
            if (Security.getProvider(provider.getName()) == null) {
                Security.insertProviderAt(provider, 1);
            }
        });
    }

    private static Optional<Provider> load() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() == null) {
                accp.assertHealthy();
                log.info("event=crypto_provider provider={}", AmazonCorrettoCryptoProvider.PROVIDER_NAME);
                return Optional.of(accp);
            }
            log.info("event=crypto_provider provider=jdk accp_error={}", accp.getLoadingError().getClass().getSimpleName());
        } catch (RuntimeException | LinkageError e) {
            log.info("event=crypto_provider provider=jdk accp_error={}", e.getClass().getSimpleName());
        }
        return Optional.empty();
    }
}
