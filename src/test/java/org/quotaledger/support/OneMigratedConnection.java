package org.quotaledger.support;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A throwaway PostgreSQL database with the ledger's schema, seen through a single connection, so
 * that a test can ask what the server keeps on that connection (its prepared statements).
 */
public final class OneMigratedConnection implements AutoCloseable {

    private final PostgresDatabase database;
    private final SingleConnectionDataSource connection;
    private final JdbcTemplate jdbc;

    private OneMigratedConnection(PostgresDatabase database) {
        this.database = database;
        this.connection = new SingleConnectionDataSource(database.jdbcUrl(), database.user(), database.password(), true);
        this.jdbc = new JdbcTemplate(connection);
    }

    public static OneMigratedConnection open() {
        PostgresDatabase database = PostgresDatabase.create();
        try {
            Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password())
                    .locations("classpath:db/migration/common", "classpath:db/migration/postgresql").load().migrate();
            return new OneMigratedConnection(database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /** Statements the server keeps prepared on this connection whose text is LIKE the pattern. */
    public long preparedStatementsLike(String pattern) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE ?", Long.class,
                pattern);
    }

    @Override
    public void close() {
        try {
            connection.destroy();
        } finally {
            database.close();
        }
    }
}
