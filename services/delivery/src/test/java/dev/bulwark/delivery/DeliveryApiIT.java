package dev.bulwark.delivery;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;

/** The delivery API on embedded H2 (the launcher's default database). */
class DeliveryApiIT extends AbstractDeliveryApiIT {

    @BeforeAll
    static void startOnH2() {
        start(List.of("--spring.datasource.url=jdbc:h2:mem:delivery-it;DB_CLOSE_DELAY=-1"));
    }
}
