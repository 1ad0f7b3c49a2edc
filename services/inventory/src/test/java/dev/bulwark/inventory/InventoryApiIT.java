package dev.bulwark.inventory;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;

/** The inventory API on embedded H2 (the launcher's default database). */
class InventoryApiIT extends AbstractInventoryApiIT {

    @BeforeAll
    static void startOnH2() {
        start(List.of("--spring.datasource.url=jdbc:h2:mem:inventory-it;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000"));
    }
}
