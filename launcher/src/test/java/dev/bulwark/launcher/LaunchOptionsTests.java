package dev.bulwark.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaunchOptionsTests {

    static final Path REPO = Path.of("/repo");

    @Test
    void parseWhenOnlyCommandThenLocalModeDefaults() {
        LaunchOptions options = LaunchOptions.parse(List.of("up"), REPO);

        assertThat(options.home()).isEqualTo(REPO.resolve(".bulwark"));
        assertThat(options.gatewayPort()).isEqualTo(8443);
        assertThat(options.stsPort()).isEqualTo(9443);
        assertThat(options.database()).isEqualTo("h2");
    }

    @Test
    void parseWhenSeveralProblemsThenAllAreReportedAtOnce() {
        assertThatThrownBy(() -> LaunchOptions.parse(
                List.of("start", "--gateway-port", "99999", "--database", "oracle", "--database-prefix", "x;drop"), REPO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("command: start (expected: up, down, status, revoke, rotate or audit)")
                .hasMessageContaining("--gateway-port: 99999")
                .hasMessageContaining("--database: oracle")
                .hasMessageContaining("--database-prefix: x;drop")
                .hasMessageContaining("usage:");
    }

    @Test
    void parseWhenSetThenPropertyGoesToThatComponentOnly() {
        LaunchOptions options = LaunchOptions.parse(
                List.of("up", "--set", "sts:bulwark.sts.audience=x", "--set", "order:a.b=c"), REPO);

        assertThat(options.extraProperties("sts")).containsExactly("--bulwark.sts.audience=x");
        assertThat(options.extraProperties("order")).containsExactly("--a.b=c");
        assertThat(options.extraProperties("gateway")).isEmpty();
    }

    @Test
    void parseWhenSetHasNoComponentThenRefused() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("up", "--set", "bulwark.sts.audience=x"), REPO))
                .hasMessageContaining("--set: bulwark.sts.audience=x");
    }

    @Test
    void parseWhenSetNamesIdentityThenPropertyGoesToTheIdentityProcess() {
        LaunchOptions options = LaunchOptions.parse(
                List.of("up", "--set", "identity:bulwark.identity.svid-lifetime=PT10S"), REPO);

        assertThat(options.extraProperties("identity")).containsExactly("--bulwark.identity.svid-lifetime=PT10S");
        assertThat(options.extraProperties("sts")).isEmpty();
    }

    @Test
    void parseWhenRevokeThenSerialAndReasonAreKept() {
        LaunchOptions options = LaunchOptions.parse(
                List.of("revoke", "4F:2a:01", "--reason", "superseded", "--home", "/tmp/h"), REPO);

        assertThat(options.command()).isEqualTo("revoke");
        assertThat(options.operands()).containsExactly("4F:2a:01");
        assertThat(options.reason()).isEqualTo("superseded");
        assertThat(options.home()).isEqualTo(Path.of("/tmp/h"));
    }

    @Test
    void parseWhenRevokeWithoutReasonThenKeyCompromise() {
        assertThat(LaunchOptions.parse(List.of("revoke", "0x0a1b"), REPO).reason()).isEqualTo("keyCompromise");
    }

    @Test
    void parseWhenRevokeHasNoSerialOrABadOneThenRefused() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("revoke"), REPO)).hasMessageContaining("revoke:");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("revoke", "xyz"), REPO)).hasMessageContaining("revoke: xyz");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("revoke", "0a", "0b"), REPO)).hasMessageContaining("revoke: 0a 0b");
    }

    @Test
    void parseWhenRevokeReasonUnknownThenRefusedWithTheChoices() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("revoke", "0a", "--reason", "certificateHold"), REPO))
                .hasMessageContaining("--reason: certificateHold (expected: one of unspecified, keyCompromise");
    }

    @Test
    void parseWhenRotateThenOnlyIntermediate() {
        assertThat(LaunchOptions.parse(List.of("rotate", "intermediate"), REPO).operands()).containsExactly("intermediate");
        assertThat(LaunchOptions.parse(List.of("rotate", "root"), REPO).operands()).containsExactly("root");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("rotate", "everything"), REPO))
                .hasMessageContaining("rotate: everything (expected: intermediate or root)");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("rotate"), REPO)).hasMessageContaining("rotate:");
    }

    @Test
    void parseWhenUpGetsAStrayArgumentThenRefused() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("up", "now"), REPO))
                .hasMessageContaining("unexpected argument: now");
    }

    @Test
    void parseWhenWithoutLogisticsThenFlagSetAndEcommByDefault() {
        assertThat(LaunchOptions.parse(List.of("up", "--without-logistics"), REPO).withoutLogistics()).isTrue();
        assertThat(LaunchOptions.parse(List.of("up"), REPO).withoutLogistics()).isFalse();
        assertThat(LaunchOptions.parse(List.of("up"), REPO).domain()).isEqualTo("ecomm");
    }

    @Test
    void parseWhenDomainGivenThenOnlyForRevokeAndRotateAndOnlyKnownOnes() {
        assertThat(LaunchOptions.parse(List.of("rotate", "root", "--domain", "logistics"), REPO).domain()).isEqualTo("logistics");
        assertThat(LaunchOptions.parse(List.of("revoke", "0a", "--domain", "ecomm"), REPO).domain()).isEqualTo("ecomm");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("rotate", "root", "--domain", "shipping"), REPO))
                .hasMessageContaining("--domain: shipping (expected: ecomm or logistics)");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("up", "--domain", "logistics"), REPO))
                .hasMessageContaining("--domain: only for revoke and rotate");
    }

    @Test
    void parseWhenSetNamesANewComponentThenAccepted() {
        LaunchOptions options = LaunchOptions.parse(List.of("up", "--set", "logistics-sts:a=b", "--set", "inventory:c=d"), REPO);

        assertThat(options.extraProperties("logistics-sts")).containsExactly("--a=b");
        assertThat(options.extraProperties("sts")).isEmpty();
        assertThat(options.extraProperties("inventory")).containsExactly("--c=d");
    }

    @Test
    void parseWhenAuditVerifyThenOperandAndHomeAreKept() {
        LaunchOptions options = LaunchOptions.parse(List.of("audit", "verify", "--home", "/tmp/h"), REPO);

        assertThat(options.command()).isEqualTo("audit");
        assertThat(options.operands()).containsExactly("verify");
        assertThat(options.home()).isEqualTo(Path.of("/tmp/h"));
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("audit"), REPO)).hasMessageContaining("audit:  (expected: verify)");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("audit", "fix"), REPO))
                .hasMessageContaining("audit: fix (expected: verify)");
    }
}
