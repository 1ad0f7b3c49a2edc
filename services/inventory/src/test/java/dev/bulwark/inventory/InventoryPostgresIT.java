package dev.bulwark.inventory;

import dev.bulwark.securitykit.boot.testing.PostgresDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same inventory API on PostgreSQL (the launcher's {@code --database postgres} mode). */
class InventoryPostgresIT extends AbstractInventoryApiIT {

    static @Nullable PostgresDatabase database;

    @BeforeAll
    static void startOnPostgres() throws Exception {
        database = PostgresDatabase.create("bulwark_inventory_it_");
        start(database.arguments());
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        // the base class's @AfterAll (stop the service) runs after this one: stop first, then drop
        stop();
        inventory = null;
        if (database != null) {
            database.drop();
        }
    }
}
