package dev.bulwark.securitykit.boot.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * A fresh database on the machine's PostgreSQL (127.0.0.1:5432, trust auth, user {@code postgres}), dropped
 * afterwards; the test is skipped only when nothing answers on the port.
 */
public final class PostgresDatabase {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 5432;
    private static final String ADMIN_URL = "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres";

    private final String name;

    private PostgresDatabase(String name) {
        this.name = name;
    }

    public static PostgresDatabase create(String prefix) throws SQLException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 1000);
        }
        catch (IOException ex) {
            Assumptions.abort("PostgreSQL does not answer on " + HOST + ":" + PORT + "; PostgreSQL variant skipped");
        }
        String name = prefix + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute("create database " + name);
        }
        return new PostgresDatabase(name);
    }

    public List<String> arguments() {
        return List.of("--spring.datasource.url=jdbc:postgresql://" + HOST + ":" + PORT + "/" + name,
                "--spring.datasource.username=postgres", "--spring.datasource.password=");
    }

    public void drop() throws SQLException {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
        }
    }
}
