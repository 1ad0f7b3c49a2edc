package dev.bulwark.sts;

import java.time.Clock;
import java.time.Instant;
import java.sql.Timestamp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.bulwark.sts.client.CachingPasswordEncoder;
import dev.bulwark.sts.client.ClientRegistrar;
import dev.bulwark.sts.config.StsProperties;
import dev.bulwark.sts.config.StsPropertiesValidator;
import dev.bulwark.sts.password.LoginLockout;
import dev.bulwark.sts.password.PasswordGrantAuthenticationProvider;
import dev.bulwark.sts.password.UserDirectory;
import dev.bulwark.sts.refresh.ReuseDetectingAuthorizationService;
import dev.bulwark.sts.refresh.SupersededRefreshTokens;
import dev.bulwark.sts.token.IssuedTokenCounter;
import io.micrometer.core.instrument.MeterRegistry;

/** State (JDBC), clients, users and the password grant. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StsProperties.class)
@EnableScheduling
public class StsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StsConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(StsProperties properties) {
        StsPropertiesValidator.requireValid(properties);
        return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
    }

    /** Client secrets: bcrypt behind a short-lived cache of successful checks (see {@link CachingPasswordEncoder}). */
    @Bean
    PasswordEncoder clientSecretEncoder(StsProperties properties) {
        return new CachingPasswordEncoder(bcryptDelegating(), properties.secretCache().ttl(),
                properties.secretCache().maximumSize());
    }

    private static PasswordEncoder bcryptDelegating() {
        DelegatingPasswordEncoder encoder = (DelegatingPasswordEncoder) PasswordEncoderFactories
                .createDelegatingPasswordEncoder();
        encoder.setDefaultPasswordEncoderForMatches(new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                throw new UnsupportedOperationException("encode with the delegating encoder");
            }

            @Override
            public boolean matches(CharSequence raw, String encoded) {
                return false; // a hash without an {id} prefix never matches
            }
        });
        return encoder;
    }

    @Bean
    RegisteredClientRepository registeredClientRepository(JdbcTemplate jdbc, StsProperties properties,
            PasswordEncoder clientSecretEncoder) {
        JdbcRegisteredClientRepository repository = new JdbcRegisteredClientRepository(jdbc);
        new ClientRegistrar(properties, repository, jdbc, clientSecretEncoder).registerAll();
        return repository;
    }

    @Bean
    SupersededRefreshTokens supersededRefreshTokens(JdbcTemplate jdbc) {
        return new SupersededRefreshTokens(jdbc);
    }

    @Bean
    OAuth2AuthorizationService authorizationService(JdbcTemplate jdbc, RegisteredClientRepository clients,
            SupersededRefreshTokens superseded) {
        return new ReuseDetectingAuthorizationService(new JdbcOAuth2AuthorizationService(jdbc, clients), superseded);
    }

    @Bean
    UserDirectory userDirectory(StsProperties properties) {
        // user passwords are not cached: the password grant is legacy and low-volume, and its
        // failures feed the lockout
        return new UserDirectory(StsPropertiesValidator.requireValid(properties).users(), bcryptDelegating());
    }

    @Bean
    LoginLockout loginLockout(StsProperties properties, Clock clock) {
        StsProperties.Lockout l = properties.lockout();
        return new LoginLockout(l.maxFailures(), l.window(), l.duration(), clock);
    }

    @Bean
    PasswordGrantAuthenticationProvider passwordGrantAuthenticationProvider(OAuth2AuthorizationService authorizations,
            OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator, UserDirectory users, LoginLockout lockout) {
        return new PasswordGrantAuthenticationProvider(authorizations, tokenGenerator, users, lockout);
    }

    @Bean
    IssuedTokenCounter issuedTokenCounter(MeterRegistry registry) {
        return new IssuedTokenCounter(registry);
    }

    @Bean
    Cleanup cleanup(JdbcTemplate jdbc, SupersededRefreshTokens superseded, Clock clock) {
        return new Cleanup(jdbc, superseded, clock);
    }

    /** Deletes authorizations whose tokens have all expired, and expired superseded-token rows. */
    static final class Cleanup {

        private final JdbcTemplate jdbc;
        private final SupersededRefreshTokens superseded;
        private final Clock clock;

        Cleanup(JdbcTemplate jdbc, SupersededRefreshTokens superseded, Clock clock) {
            this.jdbc = jdbc;
            this.superseded = superseded;
            this.clock = clock;
        }

        @Scheduled(fixedDelayString = "${bulwark.sts.cleanup-interval:PT5M}",
                initialDelayString = "${bulwark.sts.cleanup-interval:PT5M}")
        void run() {
            try {
                Instant now = clock.instant();
                Timestamp ts = Timestamp.from(now);
                int authorizations = jdbc.update("DELETE FROM oauth2_authorization"
                        + " WHERE (access_token_expires_at IS NOT NULL OR refresh_token_expires_at IS NOT NULL)"
                        + " AND (access_token_expires_at IS NULL OR access_token_expires_at < ?)"
                        + " AND (refresh_token_expires_at IS NULL OR refresh_token_expires_at < ?)", ts, ts);
                int hashes = superseded.purgeExpired(now);
                log.debug("event=sts.cleanup authorizations={} superseded_refresh_tokens={}", authorizations, hashes);
            } catch (RuntimeException e) {
                log.warn("event=sts.cleanup_failed reason={}", e.getClass().getSimpleName());
            }
        }
    }

}
