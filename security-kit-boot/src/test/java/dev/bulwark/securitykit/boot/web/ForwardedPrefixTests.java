package dev.bulwark.securitykit.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class ForwardedPrefixTests {

    @Test
    void pathWhenNoPrefixThenPathOnly() {
        assertThat(ForwardedPrefix.path(new MockHttpServletRequest(), "/orders/1")).isEqualTo("/orders/1");
    }

    @Test
    void pathWhenPlainPrefixThenPrepended() {
        assertThat(ForwardedPrefix.path(request("/api"), "/orders/1")).isEqualTo("/api/orders/1");
        assertThat(ForwardedPrefix.path(request("/api/"), "/orders/1")).isEqualTo("/api/orders/1");
        assertThat(ForwardedPrefix.path(request("/edge/api"), "/orders/1")).isEqualTo("/edge/api/orders/1");
    }

    @Test
    void pathWhenPrefixCouldLeaveTheOriginThenIgnored() {
        for (String prefix : new String[] { "//evil.example", "https://evil.example", "/..", "/a/../b", "api",
                "/a%2Fb", "/a,/b" }) {
            assertThat(ForwardedPrefix.path(request(prefix), "/orders/1")).as(prefix).isEqualTo("/orders/1");
        }
    }

    private static MockHttpServletRequest request(String prefix) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("X-Forwarded-Prefix", prefix);
        return request;
    }
}
