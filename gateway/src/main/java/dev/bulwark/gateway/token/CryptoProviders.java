package dev.bulwark.gateway.token;

import java.security.Provider;
import java.util.Optional;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ACCP (AWS-LC) for signatures where its native library loads, the JDK's providers otherwise. */
public final class CryptoProviders {

    private static final Logger log = LoggerFactory.getLogger(CryptoProviders.class);
    private static final Optional<Provider> PREFERRED = load();

    private CryptoProviders() {
    }

    public static Optional<Provider> preferred() {
        return PREFERRED;
    }

    private static Optional<Provider> load() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() == null) {
                log.info("event=crypto_provider provider=ACCP");
                return Optional.of(accp);
            }
            log.info("event=crypto_provider provider=jdk accp_error={}", accp.getLoadingError().getClass().getSimpleName());
        } catch (LinkageError e) {
            log.info("event=crypto_provider provider=jdk accp_error={}", e.getClass().getSimpleName());
        }
        return Optional.empty();
    }
}
