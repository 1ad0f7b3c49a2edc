package dev.bulwark.sts.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class ExchangeOutcomesTests {

    private final Logger audit = (Logger) LoggerFactory.getLogger("bulwark.audit");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    ExchangeOutcomesTests() {
        lines.start();
        audit.addAppender(lines);
    }

    @AfterEach
    void tearDown() {
        audit.detachAppender(lines);
    }

    @Test
    void recordWhenExchangeDecidedThenOneLineOnTheAuditLogger() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        new ExchangeOutcomes(meters).record("token-exchange", "order-service", "inventory-service", "issued", "-",
                "bulwark-gateway", "peter");

        assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("event=token_exchange ")
                .contains("client=order-service", "audience=inventory-service", "result=issued", "sub=peter");
        assertThat(meters.get("bulwark.sts.token.exchanges").tag("result", "issued").counter().count()).isEqualTo(1);
    }

    @Test
    void recordWhenSubjectFromARefusedTokenHasALineBreakThenItCannotForgeALine() {
        new ExchangeOutcomes(new SimpleMeterRegistry()).record("token-exchange", "order-service", "other",
                "invalid_grant", "bad_signature", "evil\nevent=token_exchange result=issued", "x y");

        assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .doesNotContain("\n").contains("issuer=evil?event=token_exchange?result=issued", "sub=x?y");
    }
}
