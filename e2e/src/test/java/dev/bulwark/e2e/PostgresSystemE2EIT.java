package dev.bulwark.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.BeforeAll;

/**
 * The attack suite against the STS and order service backed by PostgreSQL: needs the machine's
 * server on 127.0.0.1:5432 with trust authentication for user {@code postgres} (CI starts it).
 */
class PostgresSystemE2EIT extends EdgeAttackSuite {

    @Override
    String database() {
        return "postgres";
    }

    @BeforeAll
    @Override
    void startSystem() {
        assumeTrue(postgresAnswers(), "PostgreSQL does not answer on 127.0.0.1:5432; skipping the PostgreSQL e2e run");
        super.startSystem();
    }

    @org.junit.jupiter.api.AfterAll
    @Override
    void stopSystem() {
        super.stopSystem();
        if (system != null) {
            dropDatabases();
        }
    }

    /** Drops the databases this run created (their names carry the run's random prefix). */
    private void dropDatabases() {
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", "postgres");
        try (var connection = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", login);
                var list = connection.prepareStatement("select datname from pg_database where datname like 'bulwark_e2e_%'");
                var rs = list.executeQuery()) {
            java.util.List<String> names = new java.util.ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            for (String name : names) {
                if (name.matches("[a-z0-9_]+")) {
                    try (var drop = connection.createStatement()) {
                        drop.execute("drop database if exists " + name + " with (force)");
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot drop the e2e databases", e);
        }
    }

    static boolean postgresAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
