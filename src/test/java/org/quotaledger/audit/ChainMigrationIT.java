package org.quotaledger.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.quotaledger.support.PostgresDatabase;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Events recorded before the hash chain existed are chained by its migration, and verify says
 * so: they are reported as chained late, never passed off as chained when recorded.
 */
class ChainMigrationIT {

    @Test
    void eventsFromBeforeTheChainAreChainedByTheMigrationAndReportedAsSuch() throws Exception {
        try (PostgresDatabase database = PostgresDatabase.create()) {
            Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password())
                    .locations("classpath:db/migration/common", "classpath:db/migration/postgresql")
                    .target("2").load().migrate();
            try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO domain_event_entry (event_identifier, payload, payload_type, time_stamp, "
                            + "aggregate_identifier, sequence_number, type) VALUES (?, ?, 'legacy.Event', "
                            + "'2024-12-01T00:00:00Z', 'legacy-stream', ?, 'Legacy')")) {
                for (int sequence = 0; sequence < 3; sequence++) {
                    insert.setString(1, "legacy-" + sequence);
                    insert.setBytes(2, ("{\"n\":" + sequence + "}").getBytes());
                    insert.setLong(3, sequence);
                    insert.executeUpdate();
                }
            }

            try (RunningLedger ledger = RunningLedger.onPostgres(database)) {
                JsonNode chain = ledger.as(TestUsers.AUDITOR).get("/api/v1/audit/verify").body().get("chain");

                assertThat(chain.get("chainedLate").get("events").asLong()).isEqualTo(3);
                assertThat(chain.get("unchainedEvents").asLong()).isZero();
                assertThat(chain.get("firstBrokenLink").isNull()).as(chain.toString()).isTrue();
                assertThat(database.count("SELECT COUNT(*) FROM domain_event_entry WHERE chain_hash IS NULL")).isZero();
            }
        }
    }
}
