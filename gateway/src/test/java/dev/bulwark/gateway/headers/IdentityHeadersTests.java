package dev.bulwark.gateway.headers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class IdentityHeadersTests {

    @Test
    void stripWhenForgeableIdentityHeadersThenAllRemovedAndOthersKept() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("X-User", "admin");
        headers.add("x-user-id", "1");
        headers.add("X-User-Context", "x");
        headers.add("X-Forwarded-User", "admin");
        headers.add("X-REMOTE-USER", "admin");
        headers.add("X-Authenticated-User", "admin");
        headers.add("X-Bulwark-Caller", "admin");
        headers.add("x-bulwark-anything", "y");
        headers.add("Accept", "application/json");
        headers.add("X-Request-Id", "abc");

        assertThat(IdentityHeaders.strip(headers)).hasSize(8);

        assertThat(headers.headerNames()).containsExactlyInAnyOrder("Accept", "X-Request-Id");
    }

    @Test
    void isForgeableWhenLookalikeNameThenKept() {
        assertThat(IdentityHeaders.isForgeable("X-Username")).isFalse();
        assertThat(IdentityHeaders.isForgeable("X-Bulwark")).isFalse();
        assertThat(IdentityHeaders.isForgeable("X-Bulwark-")).isTrue();
    }
}
