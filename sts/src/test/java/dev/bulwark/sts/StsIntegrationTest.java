package dev.bulwark.sts;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The one Spring context shared by the H2 integration tests (identical configuration, so the test
 * framework caches and reuses it). Keys rotate every few seconds here so rotation can be observed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.home=target/it-home",
        "bulwark.sts.issuer=http://sts.test",
        "bulwark.sts.keys.rotation-period=PT6S",
        "bulwark.sts.keys.publish-ahead=PT3S",
        "bulwark.sts.keys.check-interval=PT0.25S",
        "bulwark.sts.lockout.max-failures=3",
        "bulwark.sts.lockout.window=PT1M",
        "bulwark.sts.lockout.duration=PT1M",
        "bulwark.sts.users.lockme.password=lockme123",
        "bulwark.sts.clients.partnerapi.secret=partnerapisecret",
        "bulwark.sts.clients.partnerapi.grant-types=client_credentials",
        "bulwark.sts.clients.partnerapi.scopes=orders:read",
        "bulwark.sts.clients.partnerapi.audience=partner-api",
        "spring.datasource.url=jdbc:h2:mem:sts-it;DB_CLOSE_DELAY=-1"})
@interface StsIntegrationTest {
}
