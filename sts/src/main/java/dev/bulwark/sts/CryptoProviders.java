package dev.bulwark.sts;

import java.security.Security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/** Installs Amazon Corretto Crypto Provider first (ES256 signing is several times faster), or keeps the JDK's. */
final class CryptoProviders {

    private static final Logger log = LoggerFactory.getLogger(CryptoProviders.class);
    private static volatile boolean done;

    private CryptoProviders() {
    }

    static synchronized void preferCorretto() {
        if (done) {
            return;
        }
        done = true;
        try {
            AmazonCorrettoCryptoProvider.install();
            AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
            log.info("event=sts.crypto_provider provider={}", AmazonCorrettoCryptoProvider.PROVIDER_NAME);
        } catch (RuntimeException | LinkageError e) {
            Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
            log.warn("event=sts.crypto_provider provider=jdk reason={}", e.getClass().getSimpleName());
        }
    }
}
