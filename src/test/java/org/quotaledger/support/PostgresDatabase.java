package org.quotaledger.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throwaway database on a real PostgreSQL server, created for one test class and dropped after.
 * The server defaults to this machine's (127.0.0.1:5432, user postgres, trust auth); set
 * {@code QL_TEST_PG_URL}, {@code QL_TEST_PG_USER} and {@code QL_TEST_PG_PASSWORD} to use another.
 * Without a server the test fails and says how to get one: it never skips.
 */
public final class PostgresDatabase implements AutoCloseable {

    private static final String SERVER = setting("QL_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = setting("QL_TEST_PG_USER", "postgres");
    private static final String PASSWORD = setting("QL_TEST_PG_PASSWORD", "");

    private final String server;
    private final String user;
    private final String password;
    private final String name;

    private PostgresDatabase(String server, String user, String password, String name) {
        this.server = server;
        this.user = user;
        this.password = password;
        this.name = name;
    }

    public static PostgresDatabase create() {
        return create(SERVER, USER, PASSWORD);
    }

    /** On another server (a private one, see {@link PrivatePostgres}); {@code server} ends with a slash. */
    public static PostgresDatabase create(String server, String user, String password) {
        String name = "ql_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(server, user, password, "CREATE DATABASE " + name);
        return new PostgresDatabase(server, user, password, name);
    }

    public String jdbcUrl() {
        return server + name;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    /** Runs a query that returns one number, e.g. a count of events. */
    public long count(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             var result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    @Override
    public void close() {
        execute(server, user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void execute(String server, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(server + "postgres", user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("""
                    The integration tests need a PostgreSQL server and could not use %s as %s (%s).
                    Start one: on this machine `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
                    elsewhere `docker compose up -d postgres`; or point QL_TEST_PG_URL/QL_TEST_PG_USER/QL_TEST_PG_PASSWORD
                    at a server where that user may create databases.""".formatted(server, user, e.getMessage()), e);
        }
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
