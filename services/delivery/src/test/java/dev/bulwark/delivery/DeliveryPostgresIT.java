package dev.bulwark.delivery;

import dev.bulwark.securitykit.boot.testing.PostgresDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same delivery API on PostgreSQL (the launcher's {@code --database postgres} mode). */
class DeliveryPostgresIT extends AbstractDeliveryApiIT {

    static @Nullable PostgresDatabase database;

    @BeforeAll
    static void startOnPostgres() throws Exception {
        database = PostgresDatabase.create("bulwark_delivery_it_");
        start(database.arguments());
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        // the base class's @AfterAll (stop the service) runs after this one: stop first, then drop
        stop();
        delivery = null;
        if (database != null) {
            database.drop();
        }
    }
}
