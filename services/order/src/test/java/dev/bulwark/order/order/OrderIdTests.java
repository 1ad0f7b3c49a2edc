package dev.bulwark.order.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class OrderIdTests {

    @Test
    void parseWhenCanonicalThenPresent() {
        UUID id = UUID.randomUUID();
        assertThat(OrderId.parse(id.toString())).contains(new OrderId(id));
    }

    @Test
    void parseWhenNotCanonicalThenEmpty() {
        assertThat(OrderId.parse("1-1-1-1-1")).isEmpty();
        assertThat(OrderId.parse("")).isEmpty();
        assertThat(OrderId.parse("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz")).isEmpty();
    }
}
