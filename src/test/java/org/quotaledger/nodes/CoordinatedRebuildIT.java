package org.quotaledger.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A projection rebuild is one for all nodes: while one node rebuilds, no other node runs (or
 * claims segments of) that processor, a second rebuild is refused, and when it is over every node
 * runs the processor again and the projection equals the fold of the event store.
 */
class CoordinatedRebuildIT {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Test
    void aRebuildStartedOnOneNodeStopsTheProcessorOnEveryNodeUntilItIsOver() throws Exception {
        try (LedgerOnPostgres service = LedgerOnPostgres.start();
             RunningLedger second = RunningLedger.onPostgres(service.database())) {
            RunningLedger first = service.ledger();
            StreamingEventProcessor onFirst = balances(first);
            StreamingEventProcessor onSecond = balances(second);
            assertThat(ship(first, "REBUILD-1", "BR")).isEqualTo(201);
            await().atMost(WITHIN).until(() -> recorded(first, "BR") == 1);

            // Some node (a third one, say) records a rebuild: both nodes stop, and nothing is projected.
            try (Connection connection = service.database().connect(); Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO projection_rebuild (projection, node, started_at, heartbeat_at) "
                        + "VALUES ('balances', 'a-third-node', now(), now())");
                statement.execute("NOTIFY ql_projection_rebuild, 'balances'");
            }
            await().atMost(WITHIN).until(() -> !onFirst.isRunning() && !onSecond.isRunning()
                    && service.database().count("SELECT COUNT(*) FROM token_entry "
                    + "WHERE processor_name = 'balances' AND owner IS NOT NULL") == 0);
            assertThat(admin(first, "GET", "/api/v1/admin/projections/balances").get("rebuilding").asBoolean()).isTrue();
            assertThat(first.get("/api/v1/balances/BR").header("X-Projection-Rebuilding")).isEqualTo("true");
            RunningLedger.Response refused = first.as(TestUsers.ADMIN)
                    .post("/api/v1/admin/projections/balances/rebuild", "");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().get("detail").asText()).contains("a-third-node");
            assertThat(ship(second, "REBUILD-2", "BR")).isEqualTo(201);
            Thread.sleep(3_000);
            assertThat(recorded(first, "BR")).as("projected while every node is stopped").isEqualTo(1);

            // That rebuild ends: both nodes run again and catch up.
            try (Connection connection = service.database().connect(); Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM projection_rebuild");
                statement.execute("NOTIFY ql_projection_rebuild, 'balances'");
            }
            await().atMost(WITHIN).until(() -> onFirst.isRunning() && onSecond.isRunning());
            await().atMost(WITHIN).until(() -> recorded(second, "BR") == 2);

            // A rebuild from node B: A stops, B alone replays, then both run and the projection equals the fold.
            String before = first.get("/api/v1/balances").body().get("balances").toString();
            RunningLedger.Response started = second.as(TestUsers.ADMIN)
                    .post("/api/v1/admin/projections/balances/rebuild", "");
            assertThat(started.status()).isEqualTo(202);
            await().atMost(WITHIN).until(() -> !onFirst.isRunning());
            await().atMost(Duration.ofSeconds(90)).until(() -> onFirst.isRunning()
                    && !admin(second, "GET", "/api/v1/admin/projections/balances").get("rebuilding").asBoolean()
                    && service.database().count("SELECT COUNT(*) FROM projection_rebuild") == 0);
            assertThat(first.get("/api/v1/balances").body().get("balances").toString()).isEqualTo(before);
            JsonNode verification = first.as(TestUsers.AUDITOR).get("/api/v1/audit/verify").body();
            assertThat(verification.get("projectionDiscrepancies")).as(verification.toString()).isEmpty();
            assertThat(ship(first, "REBUILD-3", "BR")).isEqualTo(201);
            await().atMost(WITHIN).until(() -> recorded(second, "BR") == 3);

            // The record of a node that died mid-rebuild (no heartbeat for minutes) stops nobody,
            // and does not stand in the way of a new rebuild.
            try (Connection connection = service.database().connect(); Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO projection_rebuild (projection, node, started_at, heartbeat_at) "
                        + "VALUES ('balances', 'a-dead-node', now() - interval '10 minutes', now() - interval '5 minutes')");
                statement.execute("NOTIFY ql_projection_rebuild, 'balances'");
            }
            Thread.sleep(3_000);
            assertThat(onFirst.isRunning() && onSecond.isRunning()).as("both nodes still run the processor").isTrue();
            assertThat(first.as(TestUsers.ADMIN).post("/api/v1/admin/projections/balances/rebuild", "").status())
                    .isEqualTo(202);
            await().atMost(Duration.ofSeconds(90)).until(() -> onSecond.isRunning()
                    && !admin(first, "GET", "/api/v1/admin/projections/balances").get("rebuilding").asBoolean()
                    && service.database().count("SELECT COUNT(*) FROM projection_rebuild") == 0);
            assertThat(recorded(second, "BR")).isEqualTo(3);
        }
    }

    private static StreamingEventProcessor balances(RunningLedger node) {
        return node.bean(EventProcessingConfiguration.class)
                .eventProcessor("balances", StreamingEventProcessor.class).orElseThrow();
    }

    private static int ship(RunningLedger node, String shipmentId, String country) {
        String body = """
                {"shipmentId":"%s","consignee":{"id":"c-%s","name":"C","headquartersCountry":"%s"},
                 "destinationCountry":"%s","shipDate":"2025-03-01","items":[{"model":"H100","quantity":10}]}"""
                .formatted(shipmentId, shipmentId, country, country);
        return node.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", body).status();
    }

    private static long recorded(RunningLedger node, String country) {
        return node.get("/api/v1/balances/" + country).body().get("shipmentsRecorded").asLong();
    }

    private static JsonNode admin(RunningLedger node, String method, String path) {
        return node.as(TestUsers.ADMIN).send(method, path, null).body();
    }
}
