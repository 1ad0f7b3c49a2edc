package dev.bulwark.securitykit.boot.audit;

import java.nio.file.Path;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Active when {@code bulwark.home} is set, Logback is on the class path and {@code
 * bulwark.audit.enabled} is not {@code false}: every message of the logger {@code bulwark.audit} is
 * also appended to the hash chain {@code <bulwark.home>/audit/<spring.application.name>.log}
 * (directory 0700, file 0600), which {@code ./bulwark audit verify} checks.
 */
@AutoConfiguration
@ConditionalOnClass(name = "ch.qos.logback.classic.LoggerContext")
@ConditionalOnProperty(name = "bulwark.home")
@ConditionalOnBooleanProperty(name = "bulwark.audit.enabled", matchIfMissing = true)
public class AuditTrailAutoConfiguration {

    @Bean
    AuditTrail bulwarkAuditTrail(Environment environment) {
        Path home = Path.of(environment.getRequiredProperty("bulwark.home"));
        String name = environment.getProperty("spring.application.name", "application");
        return new AuditTrail(home.resolve("audit").resolve(fileName(name) + ".log"));
    }

    /** The application name as a file name: letters, digits, {@code . _ -}; anything else becomes {@code _}. */
    static String fileName(String applicationName) {
        String name = applicationName.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.startsWith(".") ? "_" + name : name;
    }
}
