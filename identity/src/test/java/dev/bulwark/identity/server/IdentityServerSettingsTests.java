package dev.bulwark.identity.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.identity.spiffe.TrustDomain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityServerSettingsTests {

    private static final List<String> PORTS = List.of("--bulwark.identity.revocation-port=8600", "--server.port=8601",
            "--management.server.port=8602");

    private static List<String> withPorts(String... args) {
        List<String> all = new ArrayList<>(PORTS);
        all.addAll(List.of(args));
        return all;
    }

    @Test
    void parseWhenOnlyPortsGivenThenDefaults() {
        IdentityServerSettings settings = IdentityServerSettings.parse(PORTS);

        assertThat(settings.home()).isEqualTo(Path.of(".bulwark"));
        assertThat(settings.trustDomain()).isEqualTo(TrustDomain.parse("ecomm.local"));
        assertThat(settings.svidLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.rootPropagation()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.socket()).isEqualTo(Path.of(".bulwark/identity/agent.sock"));
        assertThat(settings.revocationPort()).isEqualTo(8600);
        assertThat(settings.adminPort()).isEqualTo(8601);
        assertThat(settings.managementPort()).isEqualTo(8602);
    }

    @Test
    void parseWhenEverythingGivenThenTaken() {
        IdentityServerSettings settings = IdentityServerSettings.parse(withPorts("--bulwark.home=/tmp/h",
                "--bulwark.identity.trust-domain=example.org", "--bulwark.identity.svid-lifetime=PT10S",
                "--bulwark.identity.root-propagation=PT2M", "--bulwark.identity.socket=/tmp/s.sock"));

        assertThat(settings.home()).isEqualTo(Path.of("/tmp/h"));
        assertThat(settings.trustDomain().name()).isEqualTo("example.org");
        assertThat(settings.svidLifetime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.rootPropagation()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.socket()).isEqualTo(Path.of("/tmp/s.sock"));
    }

    @Test
    void parseWhenHomeGivenThenSocketUnderIt() {
        assertThat(IdentityServerSettings.parse(withPorts("--bulwark.home=/tmp/h")).socket())
                .isEqualTo(Path.of("/tmp/h/identity/agent.sock"));
    }

    @Test
    void parseWhenSpringOrLoggingArgumentsThenIgnored() {
        assertThat(IdentityServerSettings.parse(withPorts("--spring.profiles.active=x", "--logging.level.root=DEBUG")))
                .isEqualTo(IdentityServerSettings.parse(PORTS));
    }

    @Test
    void parseWhenUnknownIdentityKeyThenRefused() {
        assertThatThrownBy(() -> IdentityServerSettings.parse(withPorts("--bulwark.identity.svid-ttl=PT1H")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown argument: --bulwark.identity.svid-ttl")
                .hasMessageContaining("--bulwark.identity.svid-lifetime");
    }

    @Test
    void parseWhenNotKeyValueThenRefused() {
        assertThatThrownBy(() -> IdentityServerSettings.parse(withPorts("--server.port")))
                .hasMessageContaining("argument: --server.port (expected: --key=value)");
    }

    @Test
    void parseWhenManyProblemsThenAllListedTogether() {
        assertThatThrownBy(() -> IdentityServerSettings.parse(List.of("--bulwark.identity.svid-lifetime=1h",
                "--bulwark.identity.trust-domain=Bad Domain", "--server.port=70000", "--server.port=1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bulwark.identity.svid-lifetime: 1h (expected: an ISO-8601 duration")
                .hasMessageContaining("--bulwark.identity.trust-domain:")
                .hasMessageContaining("--server.port: given twice")
                .hasMessageContaining("--bulwark.identity.revocation-port: missing")
                .hasMessageContaining("--management.server.port: missing");
    }

    @Test
    void parseWhenPortOutOfRangeThenRefused() {
        assertThatThrownBy(() -> IdentityServerSettings.parse(List.of("--bulwark.identity.revocation-port=0",
                "--server.port=70000", "--management.server.port=x")))
                .hasMessageContaining("--bulwark.identity.revocation-port: 0 (expected: a port from 1 to 65535)")
                .hasMessageContaining("--server.port: 70000 (expected: a port from 0 to 65535, 0 for any free one)")
                .hasMessageContaining("--management.server.port: x");
    }

    @Test
    void parseWhenSamePortTwiceThenRefused() {
        assertThatThrownBy(() -> IdentityServerSettings.parse(List.of("--bulwark.identity.revocation-port=8600",
                "--server.port=8600", "--management.server.port=0")))
                .hasMessageContaining("port 8600: used twice");
    }

    @Test
    void parseWhenLifetimeTooShortThenRefused() {
        assertThatThrownBy(() -> IdentityServerSettings.parse(withPorts("--bulwark.identity.svid-lifetime=PT0.5S")))
                .hasMessageContaining("PT0.5S (expected: between PT1S and P1D)");
    }

    @Test
    void parseWhenRootPropagationInvalidThenRefused() {
        assertThatThrownBy(() -> IdentityServerSettings.parse(withPorts("--bulwark.identity.root-propagation=PT0S")))
                .hasMessageContaining("--bulwark.identity.root-propagation: PT0S (expected: between PT1S and P1D)");
        assertThatThrownBy(() -> IdentityServerSettings.parse(withPorts("--bulwark.identity.root-propagation=5s")))
                .hasMessageContaining("--bulwark.identity.root-propagation: 5s (expected: an ISO-8601 duration");
    }

    @Test
    void parseWhenSocketPathTooLongThenRefused() {
        assertThatThrownBy(() -> IdentityServerSettings.parse(withPorts("--bulwark.identity.socket=/tmp/" + "x".repeat(120))))
                .hasMessageContaining("the limit of a Unix socket address");
    }

    @Test
    void runWhenArgumentsInvalidThenExitCode2AndMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = IdentityServer.run(new String[] {"--bulwark.identity.nope=1"}, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("identity: invalid arguments:")
                .contains("unknown argument: --bulwark.identity.nope");
    }

    @Test
    void parseWhenFederationGivenThenEachDomainHasItsBundleFile() {
        IdentityServerSettings settings = IdentityServerSettings.parse(withPorts(
                "--bulwark.identity.federation=logistics.local=/h/logistics/pki/bundle.pem, partner.example=p.pem"));

        assertThat(settings.federation()).containsOnly(
                java.util.Map.entry(TrustDomain.parse("logistics.local"), Path.of("/h/logistics/pki/bundle.pem")),
                java.util.Map.entry(TrustDomain.parse("partner.example"), Path.of("p.pem")));
        assertThat(IdentityServerSettings.parse(PORTS).federation()).isEmpty();
    }

    @Test
    void parseWhenFederationIsMalformedThenEveryProblemIsListed() {
        assertThatThrownBy(() -> IdentityServerSettings.parse(withPorts("--bulwark.identity.federation=logistics.local")))
                .hasMessageContaining("--bulwark.identity.federation: logistics.local (expected: <trust-domain>=<bundle.pem>");
        assertThatThrownBy(() -> IdentityServerSettings.parse(withPorts("--bulwark.identity.federation=Bad Domain=x.pem")))
                .hasMessageContaining("--bulwark.identity.federation: trust domain: Bad Domain");
        assertThatThrownBy(() -> IdentityServerSettings.parse(withPorts("--bulwark.identity.federation=a.local=1.pem,a.local=2.pem")))
                .hasMessageContaining("a.local given twice");
        assertThatThrownBy(() -> IdentityServerSettings.parse(withPorts("--bulwark.identity.federation=ecomm.local=b.pem")))
                .hasMessageContaining("ecomm.local is this process's own trust domain");
    }
}
