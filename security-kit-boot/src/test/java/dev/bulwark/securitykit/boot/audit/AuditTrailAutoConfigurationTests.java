package dev.bulwark.securitykit.boot.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import dev.bulwark.securitykit.audit.HashChainedLog;
import dev.bulwark.securitykit.audit.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AuditTrailAutoConfigurationTests {

    @TempDir
    Path home;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AuditTrailAutoConfiguration.class));

    @Test
    void loggingToBulwarkAuditWhenHomeIsSetThenEntriesAreChained() throws Exception {
        Logger audit = LoggerFactory.getLogger("bulwark.audit");
        runner.withPropertyValues("bulwark.home=" + home, "spring.application.name=bulwark-order").run(context -> {
            assertThat(context).hasSingleBean(AuditTrail.class);
            assertThat(context.getBean(AuditTrail.class).attached()).isTrue();
            audit.info("event=access method={} path={} status={}", "GET", "/orders/1", 200);
            audit.info("event=auth_failure reason={}", "expired");
        });
        audit.info("event=access after=close"); // detached on close: not written

        Path file = home.resolve("audit/bulwark-order.log");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"event\":\"event=access method=GET path=/orders/1 status=200\"");
        assertThat(lines.get(1)).contains("\"event\":\"event=auth_failure reason=expired\"");
        assertThat(HashChainedLog.verify(file)).isEqualTo(new Verification(true, 2, 0, ""));
    }

    @Test
    void consoleAndAdditivityOfTheAuditLoggerStayAsConfigured() {
        ch.qos.logback.classic.Logger audit = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("bulwark.audit");
        boolean additive = audit.isAdditive();
        runner.withPropertyValues("bulwark.home=" + home).run(context -> {
            assertThat(audit.isAdditive()).isEqualTo(additive);
            assertThat(audit.getAppender(HashChainedAppender.NAME)).isNotNull();
        });
        assertThat(audit.getAppender(HashChainedAppender.NAME)).isNull();
        assertThat(home.resolve("audit/application.log")).exists();
    }

    @Test
    void withoutHomeThenNoAuditTrail() {
        runner.run(context -> assertThat(context).doesNotHaveBean(AuditTrail.class));
    }

    @Test
    void disabledThenNoAuditTrail() {
        runner.withPropertyValues("bulwark.home=" + home, "bulwark.audit.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(AuditTrail.class));
        assertThat(home.resolve("audit")).doesNotExist();
    }

    @Test
    void fileNameWhenApplicationNameHasPathCharactersThenTheyAreReplaced() {
        assertThat(AuditTrailAutoConfiguration.fileName("../etc/x")).isEqualTo("_.._etc_x");
        assertThat(AuditTrailAutoConfiguration.fileName("bulwark-sts")).isEqualTo("bulwark-sts");
    }

    @Test
    void twoContextsOnTheSameFileThenEachEventIsChainedOnceAndTheChainStaysValid() throws Exception {
        Logger audit = LoggerFactory.getLogger("bulwark.audit");
        ApplicationContextRunner same = runner.withPropertyValues("bulwark.home=" + home, "spring.application.name=sts");
        same.run(first -> {
            audit.info("event=token_issued n=1");
            same.run(second -> audit.info("event=token_issued n=2"));
            // the second context closed: the first one's appender stays attached
            assertThat(first.getBean(AuditTrail.class).attached()).isTrue();
            audit.info("event=token_issued n=3");
        });

        Path file = home.resolve("audit/sts.log");
        assertThat(Files.readAllLines(file)).hasSize(3);
        assertThat(HashChainedLog.verify(file).intact()).isTrue();
        assertThat(AuditTrail.attachedFor(file)).isNull();
    }
}
