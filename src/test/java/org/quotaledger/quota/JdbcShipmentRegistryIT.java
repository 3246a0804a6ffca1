package org.quotaledger.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.quotaledger.support.PostgresDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The registry's lookups by shipment id on PostgreSQL are planned at each execution
 * ({@code infra/PlannedEachTime}): a plan kept on a pooled connection from when the table was nearly empty is a sequential scan ever after
 * (measured on the benchmark's hot figure: 38-63 ms a lookup instead of 0.07 ms).
 */
class JdbcShipmentRegistryIT {

    /** pgjdbc prepares a statement on the server from its fifth execution on one connection. */
    private static final int EXECUTIONS = 10;

    @Test
    void lookupsByIdAreNeverKeptAsPreparedPlansOnTheConnection() {
        try (PostgresDatabase database = PostgresDatabase.create()) {
            Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password())
                    .locations("classpath:db/migration/common", "classpath:db/migration/postgresql").load().migrate();
            SingleConnectionDataSource connection = new SingleConnectionDataSource(database.jdbcUrl(), database.user(),
                    database.password(), true);
            try {
                JdbcTemplate jdbc = new JdbcTemplate(connection);
                JdbcShipmentRegistry registry = new JdbcShipmentRegistry(jdbc, new ObjectMapper());
                for (int i = 0; i < EXECUTIONS; i++) {
                    assertThat(registry.findAll(List.of("A-" + i, "B-" + i))).isEmpty();
                    assertThat(registry.find("C-" + i)).isEmpty();
                }
                // Another query run as often on the same connection is kept prepared: the check can see one.
                for (int i = 0; i < EXECUTIONS; i++) {
                    jdbc.queryForObject("SELECT COUNT(*) FROM shipment WHERE country = ?", Long.class, "AE");
                }

                assertThat(preparedOnTheConnection(jdbc, "%FROM shipment WHERE shipment_id%")).isZero();
                assertThat(preparedOnTheConnection(jdbc, "%FROM shipment WHERE country%")).isEqualTo(1);
            } finally {
                connection.destroy();
            }
        }
    }

    private static long preparedOnTheConnection(JdbcTemplate jdbc, String pattern) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE ?", Long.class,
                pattern);
    }
}
