package org.quotaledger.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.quotaledger.support.OneMigratedConnection;

/**
 * The reservation registry's lookup by id, which every confirming shipment runs, is planned at
 * each execution on PostgreSQL, as the shipment registry's are ({@code infra/PlannedEachTime}).
 */
class JdbcReservationRegistryIT {

    /** pgjdbc prepares a statement on the server from its fifth execution on one connection. */
    private static final int EXECUTIONS = 10;

    @Test
    void theLookupByIdIsNeverKeptAsAPreparedPlanOnTheConnection() {
        try (OneMigratedConnection connection = OneMigratedConnection.open()) {
            JdbcReservationRegistry registry = new JdbcReservationRegistry(connection.jdbc());
            for (int i = 0; i < EXECUTIONS; i++) {
                assertThat(registry.find("R-" + i)).isEmpty();
            }
            // The exporter's list, run as often on the same connection, is kept prepared: the check can see one.
            for (int i = 0; i < EXECUTIONS; i++) {
                assertThat(registry.byExporter("exporter-" + i, 5)).isEmpty();
            }

            assertThat(connection.preparedStatementsLike("%FROM reservation WHERE reservation_id%")).isZero();
            assertThat(connection.preparedStatementsLike("%FROM reservation WHERE exporter_id%")).isEqualTo(1);
        }
    }
}
