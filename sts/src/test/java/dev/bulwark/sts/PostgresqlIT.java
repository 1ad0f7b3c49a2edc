package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The main flows against the machine's PostgreSQL (127.0.0.1:5432, trust auth, user postgres), in a
 * database created for this run and dropped after it. Skipped, saying why, if nothing answers there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.home=target/it-home",
        "bulwark.sts.issuer=http://sts.test",
        "spring.datasource.username=postgres",
        "spring.datasource.password="})
@DirtiesContext
class PostgresqlIT {

    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String DATABASE = "bulwark_sts_it_"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:5432/" + DATABASE);
    }

    @BeforeAll
    static void createDatabase() throws SQLException {
        boolean answers;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
            answers = true;
        } catch (IOException e) {
            answers = false;
        }
        Assumptions.assumeTrue(answers, "PostgreSQL at 127.0.0.1:5432 does not answer: skipping the PostgreSQL variant");
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + DATABASE);
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    @Test
    void mainFlowsWhenBackedByPostgresqlThenWork() throws Exception {
        assertThat(jdbc.queryForObject("SELECT current_database()", String.class)).isEqualTo(DATABASE);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sts_signing_key", Integer.class)).isPositive();
        StsHttp sts = new StsHttp(port);
        String gatewaySecret = Files.readString(Path.of("target/it-home/secrets/bulwark-gateway-client-secret")).strip();

        // client_credentials JWT, verifiable against the JWKS
        StsHttp.Response cc = sts.token("orderprocessingservice", "orderprocessingservicesecret",
                "grant_type", "client_credentials", "scope", "orders:read");
        assertThat(cc.status()).isEqualTo(200);
        assertThat(sts.verifiedJwt(cc.text("access_token")).getJWTClaimsSet().getAudience()).containsExactly("bulwark-api");
        assertThat(sts.introspect("bulwark-gateway", gatewaySecret, cc.text("access_token")).body().get("active")
                .asBoolean()).isTrue();

        // password grant, refresh rotation, reuse revokes the family
        StsHttp.Response login = sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "password", "username", "peter", "password", "peter123", "scope", "orders:read");
        assertThat(login.status()).isEqualTo(200);
        StsHttp.Response rotated = sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "refresh_token", "refresh_token", login.text("refresh_token"));
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sts_superseded_refresh_token", Integer.class)).isEqualTo(1);
        StsHttp.Response replay = sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "refresh_token", "refresh_token", login.text("refresh_token"));
        assertThat(replay.text("error")).isEqualTo("invalid_grant");
        assertThat(sts.token("orderprocessingapp", "orderprocessingappsecret",
                "grant_type", "refresh_token", "refresh_token", rotated.text("refresh_token")).text("error"))
                .isEqualTo("invalid_grant");

        // reference token: active, then revoked
        StsHttp.Response ref = sts.token("partnerapp", "partnerappsecret", "grant_type", "client_credentials",
                "scope", "orders:read");
        assertThat(sts.introspect("bulwark-gateway", gatewaySecret, ref.text("access_token")).body().get("active")
                .asBoolean()).isTrue();
        assertThat(sts.revoke("partnerapp", "partnerappsecret", ref.text("access_token")).status()).isEqualTo(200);
        assertThat(sts.introspect("bulwark-gateway", gatewaySecret, ref.text("access_token")).body().get("active")
                .asBoolean()).isFalse();
    }
}
