package dev.bulwark.sts.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class ClaimedClientIdTests {

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicUserWhenFormEncodedThenDecoded() {
        assertThat(ClaimedClientId.basicUser(basic("my%20app:s%3Acret"))).isEqualTo("my app");
    }

    @Test
    void basicUserWhenNotBase64OrNoColonOrOtherSchemeThenNone() {
        assertThat(ClaimedClientId.basicUser("Basic !!!")).isNull();
        assertThat(ClaimedClientId.basicUser(basic("nocolon"))).isNull();
        assertThat(ClaimedClientId.basicUser(basic(":secret"))).isNull();
        assertThat(ClaimedClientId.basicUser("Bearer abc")).isNull();
        assertThat(ClaimedClientId.basicUser(basic("bad%zz:x"))).isNull();
        assertThat(ClaimedClientId.basicUser(null)).isNull();
    }

    @Test
    void ofWhenBasicAndFormParameterThenBasicWins() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/token");
        request.setContentType("application/x-www-form-urlencoded");
        request.addHeader("Authorization", basic("web:secret"));
        request.addParameter("client_id", "other");

        assertThat(ClaimedClientId.of(request)).isEqualTo("web");
    }

    @Test
    void ofWhenFormParameterOnlyThenIt() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/token");
        request.setContentType("application/x-www-form-urlencoded;charset=UTF-8");
        request.addParameter("client_id", "order-service");

        assertThat(ClaimedClientId.of(request)).isEqualTo("order-service");
    }

    @Test
    void ofWhenNothingClaimedThenNone() {
        assertThat(ClaimedClientId.of(new MockHttpServletRequest("POST", "/oauth2/token"))).isNull();
    }

    @Test
    void printableWhenLongOrControlCharactersThenCutAndReplaced() {
        assertThat(ClaimedClientId.printable("a b=c\r\n")).isEqualTo("a?b?c??");
        assertThat(ClaimedClientId.printable("x".repeat(500))).hasSize(128);
    }
}
