package org.quotaledger.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.quotaledger.support.OneMigratedConnection;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The registry's lookups by shipment id on PostgreSQL are planned at each execution
 * ({@code infra/PlannedEachTime}): a plan kept on a pooled connection from when the table was
 * nearly empty is a sequential scan ever after (measured on the benchmark's hot figure: 38-63 ms a
 * lookup instead of 0.07 ms).
 */
class JdbcShipmentRegistryIT {

    /** pgjdbc prepares a statement on the server from its fifth execution on one connection. */
    private static final int EXECUTIONS = 10;

    @Test
    void lookupsByIdAreNeverKeptAsPreparedPlansOnTheConnection() {
        try (OneMigratedConnection connection = OneMigratedConnection.open()) {
            JdbcShipmentRegistry registry = new JdbcShipmentRegistry(connection.jdbc(), new ObjectMapper());
            for (int i = 0; i < EXECUTIONS; i++) {
                assertThat(registry.findAll(List.of("A-" + i, "B-" + i))).isEmpty();
                assertThat(registry.find("C-" + i)).isEmpty();
            }
            // Another query run as often on the same connection is kept prepared: the check can see one.
            for (int i = 0; i < EXECUTIONS; i++) {
                connection.jdbc().queryForObject("SELECT COUNT(*) FROM shipment WHERE country = ?", Long.class, "AE");
            }

            assertThat(connection.preparedStatementsLike("%FROM shipment WHERE shipment_id%")).isZero();
            assertThat(connection.preparedStatementsLike("%FROM shipment WHERE country%")).isEqualTo(1);
        }
    }
}
