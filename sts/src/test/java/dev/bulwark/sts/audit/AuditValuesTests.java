package dev.bulwark.sts.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditValuesTests {

    @Test
    void printableWhenValueHasSpacesLineBreaksOrEqualsThenReplacedSoNoKeyCanBeForged() {
        assertThat(AuditValues.printable("eve\r\nevent=login_success sub=peter"))
                .isEqualTo("eve??event?login_success?sub?peter");
    }

    @Test
    void printableWhenNullOrEmptyThenDash() {
        assertThat(AuditValues.printable(null)).isEqualTo("-");
        assertThat(AuditValues.printable("")).isEqualTo("-");
    }

    @Test
    void printableWhenLongThenCutAt128() {
        assertThat(AuditValues.printable("a".repeat(1000))).hasSize(128);
    }

    @Test
    void printableWhenNonAsciiThenReplaced() {
        assertThat(AuditValues.printable("pétér")).isEqualTo("p?t?r");
    }
}
