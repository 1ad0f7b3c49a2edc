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
                .hasMessageContaining("command: start (expected: up, down or status)")
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
}
