package dev.bulwark.securitykit.boot.jwt;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.bulwark.securitykit.boot.WorkloadTls;
import dev.bulwark.securitykit.boot.WorkloadTlsAutoConfiguration;
import dev.bulwark.securitykit.jwt.EastWestVerifier;
import dev.bulwark.securitykit.jwt.JwkSources;
import dev.bulwark.securitykit.tls.SvidSupplier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Active when {@code bulwark.east-west.audience} is set in a servlet application with Spring
 * Security's resource server: the {@link EastWestVerifier} (from {@link EastWestProperties}), the
 * {@link EastWestResourceServer} and the {@link AuditLogFilter}. JWK sets given by URI are fetched
 * over the workload's TLS (checking the server's {@code spiffe-id}) when {@link WorkloadTls} is
 * configured and a {@code spiffe-id} is given, otherwise with the JDK's default trust. A wrong
 * configuration fails the start-up with every problem listed.
 */
@AutoConfiguration(after = WorkloadTlsAutoConfiguration.class)
@ConditionalOnProperty(prefix = "bulwark.east-west", name = "audience")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken",
        "jakarta.servlet.Filter"})
@EnableConfigurationProperties(EastWestProperties.class)
public class EastWestAutoConfiguration {

    /** Just outside Spring Security's filter chain (its default order is -100). */

    private static final Logger log = LoggerFactory.getLogger(EastWestAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    EastWestVerifier eastWestVerifier(EastWestProperties properties, ObjectProvider<WorkloadTls> workloadTls,
            ObjectProvider<SvidSupplier> svids, ObjectProvider<MeterRegistry> meters) {
        List<String> problems = properties.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("bulwark.east-west is wrong:\n  " + String.join("\n  ", problems));
        }
        WorkloadTls tls = workloadTls.getIfAvailable();
        EastWestVerifier.Builder builder = EastWestVerifier.builder()
                .audience(Objects.requireNonNull(properties.audience()))
                .selfIssuedSigners(properties.selfIssuedSigners());
        for (EastWestProperties.TrustedIssuer issuer : properties.trustedIssuers()) {
            builder.trustedIssuer(Objects.requireNonNull(issuer.issuer()), keys(issuer, tls, refreshes(meters.getIfAvailable())));
        }
        SvidSupplier supplier = tls != null ? tls.svids() : svids.getIfAvailable();
        if (supplier != null) {
            builder.bundles(supplier);
        }
        EastWestProperties.AcceptShared shared = properties.acceptShared();
        if (shared.enabled()) {
            builder.acceptShared(Objects.requireNonNull(shared.issuer()), Objects.requireNonNull(shared.audience()),
                    JwkSources.file(Objects.requireNonNull(shared.jwkSetFile())));
            log.warn("event=east_west.shared_tokens_accepted issuer={} audience={}", shared.issuer(), shared.audience());
        }
        log.info("event=east_west.configured audience={} trusted_issuers={} self_issued_signers={} bundles={}",
                properties.audience(), properties.trustedIssuers().stream().map(EastWestProperties.TrustedIssuer::issuer).toList(),
                properties.selfIssuedSigners(), supplier != null);
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    EastWestResourceServer eastWestResourceServer(EastWestVerifier verifier) {
        return new EastWestResourceServer(verifier);
    }

    @Bean
    @ConditionalOnMissingBean(name = "auditLogFilter")
    FilterRegistrationBean<AuditLogFilter> auditLogFilter() {
        return AuditLogFilter.registration();
    }

    /** JWK set fetches as {@code bulwark.jwks.refreshes{source=east-west, result=ok|failed}} (docs/observability.md). */
    private static JwkSources.FetchListener refreshes(@Nullable MeterRegistry meters) {
        if (meters == null) {
            return JwkSources.FetchListener.NONE;
        }
        Counter ok = refreshCounter(meters, "ok");
        Counter failed = refreshCounter(meters, "failed");
        return fetched -> (fetched ? ok : failed).increment();
    }

    private static Counter refreshCounter(MeterRegistry meters, String result) {
        return Counter.builder("bulwark.jwks.refreshes")
                .description("JWK set fetches of the east/west verifier's trusted issuers")
                .tag("source", "east-west")
                .tag("result", result)
                .register(meters);
    }

    private static JWKSource<SecurityContext> keys(EastWestProperties.TrustedIssuer issuer, @Nullable WorkloadTls tls,
            JwkSources.FetchListener refreshes) {
        if (issuer.jwkSetFile() != null) {
            return JwkSources.file(issuer.jwkSetFile());
        }
        SSLContext context;
        if (tls != null && issuer.spiffeId() != null) {
            context = tls.clientContext(issuer.spiffeId());
        } else {
            try {
                context = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default SSLContext", e);
            }
        }
        return JwkSources.remote(Objects.requireNonNull(issuer.jwkSetUri()), context, refreshes);
    }
}
