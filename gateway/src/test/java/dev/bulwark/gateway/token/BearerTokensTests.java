package dev.bulwark.gateway.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokensTests {

    @Test
    void isJwtShapedWhenThreePartsThenTrue() {
        assertThat(BearerTokens.isJwtShaped("a.b.c")).isTrue();
        assertThat(BearerTokens.isJwtShaped("a.b.")).isTrue();
    }

    @Test
    void isJwtShapedWhenOtherShapesThenFalse() {
        assertThat(BearerTokens.isJwtShaped("opaque-reference-token")).isFalse();
        assertThat(BearerTokens.isJwtShaped("a.b")).isFalse();
        assertThat(BearerTokens.isJwtShaped(".b.c")).isFalse();
        assertThat(BearerTokens.isJwtShaped("a..c")).isFalse();
        assertThat(BearerTokens.isJwtShaped("a.b.c.d.e")).isFalse();
    }
}
