package dev.bulwark.sts.exchange;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtEncoder;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;

import dev.bulwark.securitykit.boot.WorkloadTls;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.sts.config.StsProperties;
import dev.bulwark.sts.config.StsPropertiesValidator;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Wires the delegation grants: the trusted issuers (this STS itself for token exchange, plus
 * {@code bulwark.sts.trusted-issuers}), the per-client policies, the replay cache and the two providers.
 * Remote JWK sets are fetched on first use (so this STS starts while an issuer is down) over workload
 * TLS when this process has a workload SVID and {@code jwks-spiffe-id} names the expected server,
 * otherwise with the JDK's default trust.
 */
@Configuration(proxyBeanMethods = false)
public class ExchangeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ExchangeConfiguration.class);
    private static final int REPLAY_CACHE_SIZE = 100_000;

    @Bean
    SubjectTokenVerifier subjectTokenVerifier(StsProperties properties, JWKSource<SecurityContext> jwkSource,
            ObjectProvider<WorkloadTls> workloadTls, Clock clock) {
        StsPropertiesValidator.requireValid(properties);
        WorkloadTls tls = workloadTls.getIfAvailable();
        List<String> problems = new ArrayList<>();
        List<IssuerTrust> trusted = new ArrayList<>();
        trusted.add(new IssuerTrust(properties.issuer(), jwkSource, Set.of(DelegationGrants.TOKEN_EXCHANGE_NAME),
                Set.of(), List.of()));
        new TreeMap<>(properties.trustedIssuers()).forEach((name, t) -> {
            String key = "bulwark.sts.trusted-issuers." + name;
            JWKSource<SecurityContext> keys;
            if (t.jwkSetFile() != null) {
                keys = new FileJwkSource(t.jwkSetFile());
            } else if (tls != null && t.jwksSpiffeId() == null) {
                problems.add(key + ".jwks-spiffe-id: missing (expected: the SPIFFE ID of the server of "
                        + t.jwkSetUri() + ", since this STS fetches it over workload TLS)");
                return;
            } else {
                keys = remote(key, String.valueOf(t.jwkSetUri()), tls, t.jwksSpiffeId());
            }
            trusted.add(new IssuerTrust(String.valueOf(t.issuer()), keys, Set.copyOf(t.grants()),
                    Set.copyOf(t.audiences()), t.carriedClaims()));
            log.info("event=sts.trusted_issuer name={} issuer={} keys={} grants={}", name, t.issuer(),
                    t.jwkSetFile() != null ? t.jwkSetFile() : t.jwkSetUri(), t.grants());
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid STS configuration (" + problems.size() + " problem(s)):\n  - "
                    + String.join("\n  - ", problems));
        }
        return new SubjectTokenVerifier(trusted, clock);
    }

    private static JWKSource<SecurityContext> remote(String key, String uri, @org.jspecify.annotations.Nullable WorkloadTls tls,
            @org.jspecify.annotations.Nullable String spiffeId) {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1);
        if (tls != null && spiffeId != null) {
            SSLContext context = tls.clientContext(spiffeId);
            http.sslContext(context).sslParameters(SpiffeTls.clientParameters(context));
        }
        try {
            return JWKSourceBuilder.create(URI.create(uri).toURL(), new HttpJwksRetriever(http.build())).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException(key + ".jwk-set-uri: " + uri + " (expected: an absolute https URL)", e);
        }
    }

    @Bean
    DelegatedTokenIssuer delegatedTokenIssuer(JwtEncoder jwtEncoder, StsProperties properties, Clock clock) {
        return new DelegatedTokenIssuer(jwtEncoder, properties.issuer(), clock);
    }

    @Bean
    ExchangeOutcomes exchangeOutcomes(MeterRegistry registry) {
        return new ExchangeOutcomes(registry);
    }

    @Bean
    ReplayCache assertionReplayCache(Clock clock) {
        return new ReplayCache(clock, REPLAY_CACHE_SIZE);
    }

    @Bean
    TokenExchangeAuthenticationProvider tokenExchangeAuthenticationProvider(StsProperties properties,
            SubjectTokenVerifier verifier, DelegatedTokenIssuer issuer, ExchangeOutcomes outcomes) {
        return new TokenExchangeAuthenticationProvider(ExchangePolicy.of(properties), verifier, issuer, outcomes);
    }

    @Bean
    JwtBearerAuthenticationProvider jwtBearerAuthenticationProvider(StsProperties properties,
            SubjectTokenVerifier verifier, DelegatedTokenIssuer issuer, ReplayCache replays, ExchangeOutcomes outcomes,
            Clock clock) {
        Map<String, ExchangePolicy> policies = ExchangePolicy.of(properties);
        return new JwtBearerAuthenticationProvider(policies, verifier, issuer, replays, outcomes, properties.issuer(),
                clock);
    }
}
