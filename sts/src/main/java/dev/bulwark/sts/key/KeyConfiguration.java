package dev.bulwark.sts.key;

import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.jwt.JwtEncoder;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import dev.bulwark.sts.config.StsProperties;
import dev.bulwark.sts.config.StsPropertiesValidator;

/** Wires the key ring, the JWKS source (all published keys) and the encoder (current key only). */
@Configuration(proxyBeanMethods = false)
public class KeyConfiguration {

    @Bean
    KeyRing keyRing(JdbcTemplate jdbc, StsProperties properties, Clock clock) {
        StsProperties.Keys keys = StsPropertiesValidator.requireValid(properties).keys();
        Duration maxTokenLifetime = Stream.concat(Stream.of(properties.accessTokenLifetime()),
                properties.clients().values().stream().map(StsProperties.Client::accessTokenLifetime)
                        .filter(java.util.Objects::nonNull))
                .max(Duration::compareTo).orElseThrow();
        KeyRing ring = new KeyRing(new SigningKeyRepository(jdbc), KeyEncryption.fromFile(keys.kekFile()),
                new KeyRotationPolicy(keys.rotationPeriod(), keys.publishAhead(), maxTokenLifetime), clock);
        ring.refresh();
        return ring;
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(KeyRing keyRing) {
        return (selector, context) -> selector.select(keyRing.publishedKeys());
    }

    @Bean
    JwtEncoder jwtEncoder(KeyRing keyRing) {
        return new RotatingJwtEncoder(keyRing);
    }

    @Bean
    KeyRotationTask keyRotationTask(KeyRing keyRing) {
        return new KeyRotationTask(keyRing);
    }

    /** Checks the rotation schedule; every instance does, so a cluster learns of keys another created. */
    static final class KeyRotationTask {

        private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KeyRotationTask.class);
        private final KeyRing keyRing;

        KeyRotationTask(KeyRing keyRing) {
            this.keyRing = keyRing;
        }

        @Scheduled(fixedDelayString = "${bulwark.sts.keys.check-interval:PT1M}",
                initialDelayString = "${bulwark.sts.keys.check-interval:PT1M}")
        void check() {
            try {
                keyRing.refresh();
            } catch (RuntimeException e) {
                // keep serving with the keys already loaded; the next check retries
                log.error("event=sts.key_rotation_failed", e);
            }
        }
    }
}
