package dev.bulwark.identity.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.bulwark.identity.spiffe.TrustDomain;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkloadCaSettingsTests {

    @Test
    void defaultsWhenCreatedThenOneHourSvids() {
        WorkloadCaSettings settings = WorkloadCaSettings.defaults(TrustDomain.DEFAULT);

        assertThat(settings.svidLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.nameConstraints()).isFalse();
        assertThat(settings.ocspUrl()).isNull();
    }

    @Test
    void constructorWhenSeveralProblemsThenAllListed() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new WorkloadCaSettings(TrustDomain.DEFAULT, Duration.ZERO, Duration.ofDays(30),
                        Duration.ofDays(1), false, URI.create("ftp://x"), null))
                .withMessageContaining("svid-lifetime: PT0S (expected: at least PT1S)")
                .withMessageContaining("root-lifetime: PT24H")
                .withMessageContaining("ocsp-url: ftp://x (expected: an http or https URL)");
    }
}
