package dev.bulwark.sts.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class StsThrottlePropertiesTests {

    private static StsThrottleProperties bind(String... pairs) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        for (int i = 0; i < pairs.length; i += 2) {
            source.put(pairs[i], pairs[i + 1]);
        }
        return new Binder(source).bindOrCreate("bulwark.sts.throttle", StsThrottleProperties.class);
    }

    @Test
    void defaultsAreAboveWhatTheBenchSendsFromOneClientOnOneAddress() {
        StsThrottleProperties defaults = bind();

        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.trustedProxies()).isEmpty();
        assertThat(defaults.perIpLimits()).hasValueSatisfying(l -> assertThat(l.toString()).isEqualTo("3000/PT1S"));
        assertThat(defaults.perClientLimits()).hasValueSatisfying(l -> assertThat(l.toString()).isEqualTo("3000/PT1S"));
    }

    @Test
    void burstAndQuotaTogether() {
        StsThrottleProperties p = bind("bulwark.sts.throttle.per-client", "10/PT1S,1000/PT1H");

        assertThat(p.perClientLimits()).hasValueSatisfying(l -> assertThat(l.limits()).hasSize(2));
    }

    @Test
    void emptyListSwitchesARuleOff() {
        StsThrottleProperties p = new StsThrottleProperties(true, List.of(), List.of(), List.of("5/PT1S"));

        assertThat(p.perIpLimits()).isEmpty();
        assertThat(p.perClientLimits()).isPresent();
    }

    @Test
    void everyBadValueIsReportedTogether() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new StsThrottleProperties(true, List.of("proxy.example.com"), List.of("ten/PT1S"),
                        List.of("5/forever")))
                .withMessageContaining("bulwark.sts.throttle")
                .withMessageContaining("per-ip")
                .withMessageContaining("ten/PT1S")
                .withMessageContaining("per-client")
                .withMessageContaining("5/forever")
                .withMessageContaining("proxy.example.com");
    }
}
