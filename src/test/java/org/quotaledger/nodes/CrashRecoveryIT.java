package org.quotaledger.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.LedgerProcess;
import org.quotaledger.support.PostgresDatabase;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code kill -9} of the service under load, then a restart: every acknowledged shipment (201 or
 * 422 received) is in the ledger exactly once, with the answer the client got; the unanswered
 * ones, sent again, are answered once and never applied twice; and the projections catch up to
 * equal a fresh fold of the event store. The service runs in a process of its own.
 */
class CrashRecoveryIT {

    @Test
    void nothingAcknowledgedIsLostNothingIsAppliedTwiceAndProjectionsCatchUp() throws Exception {
        try (PostgresDatabase database = PostgresDatabase.create()) {
            LedgerProcess first = LedgerProcess.start(database);
            await().atMost(Duration.ofSeconds(120)).until(() ->
                    database.count("SELECT COUNT(*) FROM country_balance") == LedgerOnPostgres.COUNTRIES);

            Load load = new Load("CRASH", 4, first::ledger);
            await().atMost(Duration.ofSeconds(120)).until(() -> load.acknowledgedCount() >= 150);
            first.kill();
            load.stop();
            int acknowledged = load.acknowledgedCount();
            int unanswered = load.unanswered.size();

            try (LedgerProcess second = LedgerProcess.start(database)) {
                Map<String, String> stored = decisions(database);
                int present = 0;
                for (Map.Entry<String, Integer> answer : load.acknowledged.entrySet()) {
                    String type = stored.get(answer.getKey());
                    if (type != null && type.equals(answer.getValue() == 201 ? "ShipmentRecorded" : "ShipmentDenied")) {
                        present++;
                    }
                }
                long decidedUnanswered = load.unanswered.keySet().stream().filter(stored::containsKey).count();
                System.out.printf("CRASH TEST: %d acknowledged before kill -9 (%s), %d present after restart; "
                        + "%d unanswered, of which %d were decided before the kill%n",
                        acknowledged, load.statuses, present, unanswered, decidedUnanswered);
                assertThat(present).as("acknowledged shipments present, with the answer given").isEqualTo(acknowledged);

                // The unanswered ones, sent again: some may have been decided before the kill; each is decided once.
                new HashMap<>(load.unanswered).forEach((id, country) ->
                        assertThat(load.send(second.ledger(), id, country)).as(id).isIn(201, 422));

                Load.assertEachDecidedOnce(database, acknowledged + unanswered);
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                    JsonNode verification = second.ledger().as(TestUsers.AUDITOR).get("/api/v1/audit/verify").body();
                    assertThat(verification.get("intact").asBoolean()).as(verification.toString()).isTrue();
                    assertThat(verification.get("projectionDiscrepancies")).as(verification.toString()).isEmpty();
                });
            }
        }
    }

    /** Each shipment's decision events, by shipment id: the event type (the last, were there several). */
    private static Map<String, String> decisions(PostgresDatabase database) throws Exception {
        Map<String, String> found = new HashMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT convert_from(payload, 'UTF8')::jsonb->>'shipmentId', "
                     + "payload_type FROM domain_event_entry WHERE " + Load.DECISIONS)) {
            while (rows.next()) {
                String type = rows.getString(2);
                found.put(rows.getString(1), type.substring(type.lastIndexOf('$') + 1));
            }
        }
        return found;
    }
}
