package dev.bulwark.order;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.security.SecureRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same flow on the machine's PostgreSQL (127.0.0.1:5432, trust auth, user {@code postgres}), in a fresh
 * database dropped afterwards. Skipped only when nothing answers on the port.
 */
@DirtiesContext
class OrderPostgresIT extends AbstractOrderApiIT {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 5432;
    private static final String ADMIN_URL = "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres";
    private static final String DATABASE = "bulwark_order_it_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));

    private static boolean created;

    @BeforeAll
    static void postgresAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 1000);
        }
        catch (IOException ex) {
            Assumptions.abort("PostgreSQL does not answer on " + HOST + ":" + PORT + "; PostgreSQL variant skipped");
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws SQLException {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute("create database " + DATABASE);
            created = true;
        }
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        if (!created) {
            return;
        }
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + DATABASE + " with (force)");
        }
    }
}
